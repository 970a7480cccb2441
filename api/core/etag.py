"""ETags on reads of editable resources, If-Match on their updates."""

from __future__ import annotations

import hashlib

from rest_framework.request import Request

from api.core.errors import ErrorCode, Problem


def etag_for(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def if_match_check(request: Request, *, current: str) -> None:
    """Raises 412 when the client's If-Match names another version than `current`.

    Without If-Match the update goes ahead (last write wins), as the docs say.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return
    if current not in (tag.strip() for tag in header.split(",")):
        raise Problem(ErrorCode.PRECONDITION_FAILED, headers={"ETag": current})
