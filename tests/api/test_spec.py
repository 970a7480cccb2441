"""The committed spec is the contract: current, valid, and complete for every operation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from openapi_spec_validator import validate

SPEC = Path(settings.BASE_DIR) / "openapi" / "kollega.yaml"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    return loaded


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_committed_spec_matches_the_code(tmp_path):
    generated = tmp_path / "kollega.yaml"

    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")

    assert generated.read_text() == SPEC.read_text(), "openapi/kollega.yaml is stale: run `make spec`"


def test_the_spec_is_valid_openapi(spec):
    validate(spec)


def test_every_operation_has_a_unique_id_a_summary_and_examples(spec):
    ids = [operation["operationId"] for _, _, operation in operations(spec)]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations(spec):
        assert operation.get("summary"), (method, path)
        contents = [
            content
            for response in operation["responses"].values()
            for content in response.get("content", {}).values()
        ]
        assert any("examples" in content for content in contents), (method, path)


def test_every_operation_documents_its_error_responses(spec):
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        assert "500" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if operation.get("security") != [{}]:
            assert "401" in responses, (method, path)
        if method in {"post", "put", "patch"}:
            assert {"400", "413", "415"} <= set(responses), (method, path)
        if method == "post":
            assert {"409", "422"} <= set(responses), (method, path)
            names = [p["name"] for p in operation.get("parameters", [])]
            assert "Idempotency-Key" in names, (method, path)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)


def test_component_names_are_unique_per_direction(spec):
    names = list(spec["components"]["schemas"])
    assert len(names) == len(set(names))
    assert "Problem" in names
