"""Every SDK model matches its schema in the committed spec, so the SDK cannot drift from the API.

A field the API has that the model lacks fails, as does a model field the API does not send, or a
required member the model treats as optional (or the other way round).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path

import pytest
import yaml

from kollega._models import API_MODELS, Model

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi" / "kollega.yaml").read_text())
SCHEMAS = SPEC["components"]["schemas"]


def _optional(kind) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in typing.get_args(kind)


@pytest.mark.parametrize("model", API_MODELS, ids=lambda m: m.__name__)
def test_model_fields_are_the_schemas_properties(model: type[Model]):
    schema = SCHEMAS[model.__schema__]
    fields = {f.name: f for f in dataclasses.fields(model)}  # type: ignore[arg-type]
    assert set(fields) == set(schema["properties"]), model.__schema__
    hints = typing.get_type_hints(model)
    for name, spec in schema["properties"].items():
        required = name in schema.get("required", [])
        has_default = fields[name].default is not dataclasses.MISSING
        assert required != has_default, f"{model.__name__}.{name}: required={required}"
        assert _optional(hints[name]) == bool(spec.get("nullable")), f"{model.__name__}.{name} nullability"


def test_every_list_and_detail_response_of_the_sdk_has_a_model():
    # The schemas the SDK decodes into models: each must exist in the spec.
    names = {m.__schema__ for m in API_MODELS}
    assert names <= set(SCHEMAS)
