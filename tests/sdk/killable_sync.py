"""A process that syncs and then waits to be killed: run by test_sigkill.py, never by pytest.

    python -m tests.sdk.killable_sync BASE_URL STORE MARKER POINT

The tokens come in KOLLEGA_TEST_TOKENS (JSON). When a response to a request whose path ends with
POINT has arrived, and before the SDK has done anything with it, the process writes MARKER and
sleeps until it is killed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import kollega


class _StopAfter(kollega.RequestsTransport):
    def __init__(self, point: str, marker: Path) -> None:
        super().__init__()
        self.point, self.marker = point, marker

    def send(self, request: kollega.Request) -> kollega.Response:
        response = super().send(request)
        if request.url.split("?")[0].endswith(self.point):
            self.marker.write_text("answered")
            while True:
                time.sleep(60)
        return response


def main() -> None:
    base_url, store, marker, point = sys.argv[1:5]
    tokens = kollega.Tokens.from_json(json.loads(os.environ["KOLLEGA_TEST_TOKENS"]))
    transport = _StopAfter(point, Path(marker))
    with kollega.Client(base_url, tokens=tokens, store=store, transport=transport) as client:
        client.offline.sync()


if __name__ == "__main__":
    main()
