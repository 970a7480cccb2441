"""The session read for every request by one plain statement equals what the ORM reads."""

from __future__ import annotations

import uuid

import pytest
from django.db.models import Model

from api.accounts.models import AuthSession, Role
from api.accounts.session_row import session_with_user
from api.accounts.sessions import session_end, session_start


def _fields(instance: Model) -> dict[str, object]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _by_orm(session_id: uuid.UUID) -> AuthSession:
    return AuthSession.objects.select_related("user", "user__organisation").get(pk=session_id)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COORDINATOR])
def test_the_session_user_and_organisation_are_the_orms(make_user, organisation, role):
    organisation.followup_offsets_days = [10, 365]
    organisation.save()
    session_id = session_start(user=make_user(role, organisation=organisation)).session_id
    expected = _by_orm(session_id)

    read = session_with_user(session_id)

    assert read is not None
    assert _fields(read) == _fields(expected)
    assert _fields(read.user) == _fields(expected.user)
    read_organisation, expected_organisation = read.user.organisation, expected.user.organisation
    assert read_organisation is not None
    assert expected_organisation is not None
    assert _fields(read_organisation) == _fields(expected_organisation)
    # JSON, datetimes and UUIDs arrive as Python values, through the fields' converters.
    assert read_organisation.followup_offsets_days == [10, 365]
    assert read.expires_at.tzinfo is not None
    assert isinstance(read.user.id, uuid.UUID)
    assert not read._state.adding
    assert read._state.db == "default"


@pytest.mark.django_db
def test_staff_have_no_organisation(make_user, django_assert_num_queries):
    session_id = session_start(user=make_user(Role.STAFF)).session_id

    with django_assert_num_queries(1):
        read = session_with_user(session_id)
        assert read is not None
        assert read.user.organisation is None

    assert _fields(read.user) == _fields(_by_orm(session_id).user)


@pytest.mark.django_db
def test_an_ended_session_is_read_as_it_is_and_an_unknown_one_is_none(make_user, organisation):
    session_id = session_start(user=make_user(organisation=organisation)).session_id
    session_end(session=_by_orm(session_id))

    read = session_with_user(session_id)

    assert read is not None
    assert read.ended_at is not None
    assert session_with_user(uuid.uuid4()) is None
