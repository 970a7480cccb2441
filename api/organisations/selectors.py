"""Reads on organisations: which one a user manages, and its API keys."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from api.accounts.models import Role, User
from api.organisations.models import ApiKey, Organisation


def organisation_managed_by(*, user: User, organisation_id: uuid.UUID) -> Organisation:
    """The organisation, if `user` coordinates it or is staff; anyone else gets 404."""
    queryset = Organisation.objects.filter(pk=organisation_id)
    if user.role != Role.STAFF:
        if user.role != Role.COORDINATOR or user.organisation_id is None:
            raise Http404
        queryset = queryset.filter(pk=user.organisation_id)
    organisation = queryset.first()
    if organisation is None:
        raise Http404
    return organisation


def api_keys_of(*, organisation: Organisation) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organisation=organisation)
