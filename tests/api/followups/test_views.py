"""Who sees a follow-up (its doctor, no one else), and what each read costs in queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.accounts.models import Role
from api.followups.dispatch import followups_dispatch
from tests.api.followups.conftest import URL, WHO5_ALL
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COUNSELLOR, Role.COORDINATOR, Role.STAFF])
@pytest.mark.parametrize("suffix", ["", "/fhir"])
def test_anyone_but_the_doctor_gets_404(role, suffix, due_who5, make_user, organisation, client_for):
    other = client_for(
        make_user(role, organisation=None if role in (Role.DOCTOR, Role.STAFF) else organisation)
    )

    assert_problem(other.get(f"{URL}/{due_who5.pk}{suffix}"), 404, "not_found")
    assert_problem(
        other.post(f"{URL}/{due_who5.pk}/response", {"answers": WHO5_ALL}, format="json"), 404, "not_found"
    )
    assert other.get(URL).json()["results"] == []


def test_the_counsellor_of_the_conversation_gets_404_too(due_who5, counsellor, client_for):
    assert_problem(client_for(counsellor.user).get(f"{URL}/{due_who5.pk}"), 404, "not_found")


def test_the_detail_is_in_the_doctors_language(due_who5, doctor, doctor_api):
    doctor.language = "nb"
    doctor.save()

    body = doctor_api.get(f"{URL}/{due_who5.pk}").json()

    assert body["questionnaire"]["title"] == "WHO-5 trivselsindeks"
    assert body["items"][1]["text"] == "Jeg har vært glad og i godt humør"
    assert body["items"][1]["options"][0] == {"value": 5, "text": "Hele tiden"}


def test_an_unknown_status_filter_is_a_400(doctor_api):
    assert_problem(doctor_api.get(f"{URL}?status=scheduled"), 400, "validation_error")


@pytest.mark.parametrize("conversations", [1, 4])
def test_the_list_reads_in_two_queries_whatever_the_count(
    conversations, complete, doctor, doctor_api, django_assert_num_queries
):
    bookings = [complete(doctor) for _ in range(conversations)]
    followups_dispatch(now=max(b.end for b in bookings) + timedelta(days=10, minutes=1))

    # The session and user; the page of follow-ups with their versions and questionnaires.
    with django_assert_num_queries(2):
        response = doctor_api.get(f"{URL}?limit=5")

    assert len(response.json()["results"]) == min(2 * conversations, 5)


def test_the_detail_reads_in_two_queries_and_three_with_help(
    due_who5, answer, doctor_api, django_assert_num_queries
):
    # The session and user; the follow-up with its version and questionnaire.
    with django_assert_num_queries(2):
        assert doctor_api.get(f"{URL}/{due_who5.pk}").status_code == 200
    answer(due_who5, dict.fromkeys(WHO5_ALL, 0))

    # The same, and the organisation's help resources for a poor wellbeing score.
    with django_assert_num_queries(3):
        assert doctor_api.get(f"{URL}/{due_who5.pk}").json()["help"] is not None


def test_the_fhir_export_reads_in_two_queries(due_who5, doctor_api, django_assert_num_queries):
    # The session and user; the follow-up with its version and questionnaire.
    with django_assert_num_queries(2):
        assert doctor_api.get(f"{URL}/{due_who5.pk}/fhir").status_code == 200


def test_the_preference_reads_in_two_queries(doctor_api, django_assert_num_queries):
    # The session and user; the preference.
    with django_assert_num_queries(2):
        assert doctor_api.get("/v1/me/followup-preferences").json() == {"opted_out": False}


@pytest.mark.parametrize("own", [0, 3])
def test_questionnaires_read_in_three_queries_whatever_the_count(
    own, coordinator, coordinator_api, django_assert_num_queries
):
    from api.followups.services import questionnaire_create  # noqa: PLC0415

    for number in range(own):
        questionnaire_create(
            organisation=coordinator.organisation,
            slug=f"own-{number}",
            scoring="none",
            title={"nb": "x", "en": "x"},
            description={},
            items=[{"linkId": "a", "type": "boolean", "text": {"nb": "a", "en": "a"}}],
        )

    # The session and user; the page of questionnaires; their current versions.
    with django_assert_num_queries(3):
        response = coordinator_api.get("/v1/questionnaires")
    assert len(response.json()["results"]) == 2 + own

    questionnaire_id = response.json()["results"][0]["id"]
    # The session and user; the questionnaire; its current version.
    with django_assert_num_queries(3):
        assert coordinator_api.get(f"/v1/questionnaires/{questionnaire_id}").status_code == 200


def test_the_schedule_reads_in_six_queries(coordinator_api, django_assert_num_queries):
    # The session and user; the organisation; whether it has entries; its entries; the shipped
    # default (it has none); its help resources.
    with django_assert_num_queries(6):
        assert coordinator_api.get("/v1/followup-schedule").json()["default"] is True
