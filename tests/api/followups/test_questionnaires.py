"""Coordinators' questionnaires: definitions checked item by item, versioning, schedule, stats."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.accounts.models import Role
from api.followups.dispatch import followups_dispatch
from api.followups.models import Followup, Questionnaire, ResearchScore, ScheduleEntry
from api.followups.plans import current_versions
from api.organisations.models import Organisation
from tests.api.followups.conftest import WHO5_ALL
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db
URL = "/v1/questionnaires"


def _text(words):
    return {"nb": words, "en": words}


OWN = {
    "slug": "sleep",
    "scoring": "sum",
    "title": _text("Sleep"),
    "items": [
        {
            "linkId": "hours",
            "type": "integer",
            "text": _text("Hours slept"),
            "required": True,
            "min": 0,
            "max": 24,
        },
        {"linkId": "work", "type": "boolean", "text": _text("Back at work?")},
        {
            "linkId": "why",
            "type": "choice",
            "text": _text("Why not?"),
            "options": [{"value": 1, "text": _text("Ill")}, {"value": 2, "text": _text("Other")}],
            "enableWhen": [{"question": "work", "operator": "=", "answer": False}],
        },
    ],
}


@pytest.fixture
def own(coordinator_api):
    response = coordinator_api.post(URL, OWN, format="json")
    assert response.status_code == 201, response.content
    return Questionnaire.objects.get(pk=response.json()["id"])


def test_a_coordinator_creates_their_organisations_questionnaire(own, organisation):
    assert own.organisation == organisation
    assert current_versions([own.pk])[own.pk].items[1]["required"] is False  # defaults filled in


def test_a_definition_is_checked_item_by_item(coordinator_api):
    items = [
        {"linkId": "a", "type": "choice", "text": _text("A"), "options": [{"value": 1, "text": _text("x")}]},
        {"linkId": "a", "type": "text", "text": _text("B")},
        {"linkId": "c", "type": "integer", "text": _text("C"), "min": 5, "max": 1},
        {
            "linkId": "d",
            "type": "boolean",
            "text": _text("D"),
            "enableWhen": [{"question": "later", "operator": "=", "answer": True}],
        },
        {"linkId": "later", "type": "boolean", "text": _text("E")},
    ]
    response = coordinator_api.post(URL, OWN | {"items": items}, format="json")

    body = assert_problem(response, 400, "validation_error")
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("items.0.options", "too_few"),
        ("items.1.linkId", "duplicate"),
        ("items.1.type", "text_not_allowed"),
        ("items.2.max", "invalid"),
        ("items.3.enableWhen.0.question", "invalid"),
    }


def test_a_slug_is_unique_per_organisation(own, coordinator_api):
    body = assert_problem(coordinator_api.post(URL, OWN, format="json"), 400, "validation_error")
    assert body["errors"][0]["field"] == "slug"


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COUNSELLOR, Role.STAFF])
def test_only_coordinators_create(role, make_user, organisation, client_for):
    user = make_user(role, organisation=organisation if role == Role.COUNSELLOR else None)

    assert_problem(client_for(user).post(URL, OWN, format="json"), 403, "permission_denied")


def test_a_version_without_responses_is_changed_in_place(own, coordinator_api):
    response = coordinator_api.put(f"{URL}/{own.pk}", OWN | {"title": _text("Sleep and work")}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["title"]["en"]) == (1, "Sleep and work")


def test_a_version_with_responses_is_immutable_and_editing_makes_a_new_one(
    own, coordinator_api, organisation, feedback, complete, doctor, answer
):
    ScheduleEntry.objects.create(organisation=organisation, offset_days=10, questionnaire=own)
    booking = complete(doctor)
    followups_dispatch(now=booking.end + timedelta(days=10, minutes=1))
    followup = Followup.objects.get(booking=booking)
    assert answer(followup, {"hours": 7, "work": True}).status_code == 201

    response = coordinator_api.put(f"{URL}/{own.pk}", OWN | {"title": _text("Sleep, again")}, format="json")

    assert response.json()["version"] == 2
    followup.refresh_from_db()
    assert followup.version.number == 1
    assert followup.version.title == _text("Sleep")  # the wording it was answered to
    assert followup.score == 7  # `sum`


def test_the_shipped_instruments_cannot_be_changed(who5, coordinator_api):
    response = coordinator_api.put(f"{URL}/{who5.pk}", OWN, format="json")

    assert_problem(response, 403, "permission_denied")


def test_another_organisations_questionnaire_is_a_404(own, make_user, client_for):
    other = Organisation.objects.create(name="Other", slug="other", country="NO")
    stranger = client_for(make_user(Role.COORDINATOR, organisation=other))

    assert_problem(stranger.get(f"{URL}/{own.pk}"), 404, "not_found")
    assert_problem(stranger.put(f"{URL}/{own.pk}", OWN, format="json"), 404, "not_found")
    assert_problem(stranger.get(f"{URL}/{own.pk}/stats"), 404, "not_found")


def test_a_doctor_sees_the_shipped_questionnaires_only(own, doctor_api):
    slugs = [q["slug"] for q in doctor_api.get(URL).json()["results"]]

    assert slugs == ["service-feedback", "who-5"]


def test_stats_show_rates_and_suppress_small_aggregates(
    who5, coordinator_api, organisation, complete, make_user, answer, client_for, django_assert_num_queries
):
    organisation.suppression_threshold = 3
    organisation.save()
    doctors = [make_user() for _ in range(4)]
    bookings = [complete(d) for d in doctors]
    followups_dispatch(now=max(b.end for b in bookings) + timedelta(days=10, minutes=1))
    for d, value in zip(doctors[:3], (1, 3, 5), strict=True):
        mine = Followup.objects.get(doctor=d, offset_days=10, version__questionnaire=who5)
        assert answer(mine, dict.fromkeys(WHO5_ALL, value), client=client_for(d)).status_code == 201

    # The session and user; the questionnaire; its current version; the threshold; the counts by
    # offset; the score aggregates.
    with django_assert_num_queries(6):
        body = coordinator_api.get(f"{URL}/{who5.pk}/stats").json()

    ten = body["offsets"][0]
    assert (ten["offset_days"], ten["sent"], ten["answered"], ten["response_rate"]) == (10, 4, 3, 0.75)
    assert ten["mean_score"] == 60.0  # (20 + 60 + 100) / 3
    assert ten["poor_wellbeing"] is None  # 2 with poor wellbeing: under 3, suppressed
    assert ResearchScore.objects.filter(organisation=organisation).count() == 3


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COUNSELLOR])
def test_doctors_and_counsellors_see_no_stats(role, who5, make_user, organisation, client_for):
    user = make_user(role, organisation=organisation if role == Role.COUNSELLOR else None)

    assert_problem(client_for(user).get(f"{URL}/{who5.pk}/stats"), 403, "permission_denied")


def test_a_coordinator_sets_the_schedule(coordinator_api, who5, feedback, own, organisation):
    schedule = {
        "offsets": [{"days": 14, "questionnaires": [str(who5.pk), str(own.pk)]}],
        "baseline": [str(who5.pk)],
        "help_resources": [{"title": _text("Help"), "phone": "+47 22 00 00 00"}],
    }
    assert coordinator_api.get("/v1/followup-schedule").json()["default"] is True

    response = coordinator_api.put("/v1/followup-schedule", schedule, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == schedule | {"default": False}
    organisation.refresh_from_db()
    assert organisation.followup_offsets_days == [14]


def test_a_schedule_names_only_usable_questionnaires(coordinator_api, who5):
    other = Organisation.objects.create(name="Other", slug="other", country="NO")
    foreign = Questionnaire.objects.create(organisation=other, slug="theirs")
    schedule = {"offsets": [{"days": 10, "questionnaires": [str(foreign.pk)]}], "baseline": [str(foreign.pk)]}

    body = assert_problem(
        coordinator_api.put("/v1/followup-schedule", schedule, format="json"), 400, "validation_error"
    )

    assert {e["field"] for e in body["errors"]} == {"offsets.0.questionnaires", "baseline"}


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COUNSELLOR, Role.STAFF])
def test_only_coordinators_see_the_schedule(role, make_user, organisation, client_for):
    user = make_user(role, organisation=organisation if role == Role.COUNSELLOR else None)

    assert_problem(client_for(user).get("/v1/followup-schedule"), 403, "permission_denied")
