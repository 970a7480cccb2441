"""Log lines never carry a key or a token, even where a URL holds one."""

from __future__ import annotations

import logging

from api.core.logging import RedactFilter


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("django.server", logging.INFO, __file__, 1, message, args, None)


def test_keys_and_tokens_in_request_lines_are_redacted():
    line = record(
        '"%s" %s %s', "GET /v1/public/availability?region=oslo&key=pk_Secret123&days=7 HTTP/1.1", 200, 512
    )

    RedactFilter().filter(line)

    assert (
        line.getMessage()
        == '"GET /v1/public/availability?region=oslo&key=[redacted]&days=7 HTTP/1.1" 200 512'
    )


def test_a_line_without_secrets_is_left_as_it_is():
    line = record("GET /v1/availability?region=%s", "oslo")

    RedactFilter().filter(line)

    assert (line.msg, line.args) == ("GET /v1/availability?region=%s", ("oslo",))
