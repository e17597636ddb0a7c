"""The alert inbox: a Qt adapter over the plain AlertList, its proxy, delegate, alarm and panel."""

from controlroom.views.inbox.model import InboxModel, InboxProxy
from controlroom.views.inbox.panel import InboxPanel

__all__ = ["InboxModel", "InboxPanel", "InboxProxy"]
