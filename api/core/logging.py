"""The request id, kept in a context variable so that every log line of a request carries it."""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


_SECRET_PARAMETER = re.compile(r"((?:^|[?&\s])(?:key|token|refresh|access)=)[^&\s\"']+", re.IGNORECASE)


class RedactFilter(logging.Filter):
    """Takes key and token values out of logged URLs (the development server logs request lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_PARAMETER.sub(r"\1[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
