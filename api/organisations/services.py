"""Writes on organisations' settings."""

from __future__ import annotations

from typing import Any

from api.organisations.models import Organisation


def organisation_update(*, organisation: Organisation, **changes: Any) -> Organisation:
    """Changes the settings given (already validated) and nothing else."""
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.save(update_fields=[*changes, "updated_at"])
    return organisation
