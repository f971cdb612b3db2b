"""Writes of the messaging: the composing side (``compose``) and the mailbox side (``mailbox``)."""

from .compose import *  # noqa: F403
from .mailbox import *  # noqa: F403
