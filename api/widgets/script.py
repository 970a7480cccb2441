"""The embeddable component's script, read once, with the hash pages pin it by (SRI)."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "assets" / "widget-v1.js"


@cache
def widget_script() -> bytes:
    return SCRIPT.read_bytes()


@cache
def widget_integrity() -> str:
    """The Subresource Integrity value of the script, as pages put it in `integrity=`."""
    return "sha384-" + base64.b64encode(hashlib.sha384(widget_script()).digest()).decode()
