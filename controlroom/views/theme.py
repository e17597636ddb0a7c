"""A calm high-performance-HMI look (ISA-101): grey base, colour only for abnormal states, large type.

Alarm colours come from the Okabe–Ito palette, which stays distinct for the common colour-vision
deficiencies, and are always paired with text or a shape.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

BASE_GREY = "#d4d6d8"
PANEL_GREY = "#e4e5e7"
TEXT = "#1f2328"
MUTED = "#5a6069"
ALARM_HIGH = "#d55e00"  # vermillion
ALARM_MEDIUM = "#e69f00"  # orange
ALARM_LOW = "#0072b2"  # blue
NORMAL = "#6b7178"

CJK_FAMILIES = ("Noto Sans CJK TC", "Noto Sans TC", "Noto Sans CJK JP", "Microsoft JhengHei", "PingFang TC")


def pick_font_family() -> str | None:
    available = set(QFontDatabase.families())
    return next((family for family in CJK_FAMILIES if family in available), None)


def apply_theme(app: QApplication, point_size: int = 13) -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    family = pick_font_family()
    if family:
        font.setFamily(family)
    font.setPointSize(point_size)
    app.setFont(font)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(BASE_GREY))
    palette.setColor(QPalette.ColorRole.Base, QColor(PANEL_GREY))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#dcdee0"))
    palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Button, QColor(PANEL_GREY))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#8a98a8"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    app.setPalette(palette)
