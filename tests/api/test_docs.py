"""The guides keep up with the code: every error code is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.core.errors import ErrorCode

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_has_a_row_in_docs_errors(code):
    rows = [line for line in (DOCS / "errors.md").read_text().splitlines() if line.startswith("| `")]

    assert any(row.startswith(f"| `{code.value}` | {code.http_status} |") for row in rows)
