"""Query serializers copy their declared fields shallowly: each instance must still stand alone."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from api.core.fields import QuerySerializer


class _Query(QuerySerializer):
    language = serializers.RegexField(r"^[a-z]{2}$", required=False)
    modality = serializers.ChoiceField(choices=["phone", "video"], required=False)
    limit = serializers.IntegerField(min_value=1, max_value=100, required=False)
    ids = serializers.ListField(child=serializers.UUIDField(), required=False)


def test_each_instance_has_fields_of_its_own_bound_to_it():
    first, second = _Query(data={}), _Query(data={})

    for name in _Query._declared_fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
        # The declarations stay unbound, ready for the next instance.
        assert getattr(_Query._declared_fields[name], "parent", None) is None
    first_ids, second_ids = first.fields["ids"], second.fields["ids"]
    assert isinstance(first_ids, serializers.ListField)
    assert isinstance(second_ids, serializers.ListField)
    assert first_ids.child is not second_ids.child


def test_instances_validate_independently_and_as_drf_would():
    assert _Query.of({"language": "nb", "modality": "video", "limit": "25"}) == {
        "language": "nb",
        "modality": "video",
        "limit": 25,
    }
    with pytest.raises(ValidationError) as refused:
        _Query.of({"language": "NOR", "modality": "fax", "limit": "0"})

    assert set(refused.value.detail) == {"language", "modality", "limit"}
    # A refusal leaves nothing behind for the next request.
    assert _Query.of({"language": "en"}) == {"language": "en"}
