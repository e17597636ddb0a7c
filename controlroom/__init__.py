"""controlroom: the desktop application of a customs joint management center (聯合管理中心)."""

__version__ = "0.1.0"
