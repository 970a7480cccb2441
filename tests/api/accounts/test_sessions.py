from __future__ import annotations

import pytest

from api.accounts.models import AuthSession
from tests.helpers import assert_problem


@pytest.mark.django_db
def test_sessions_lists_my_live_sessions_newest_first_and_marks_the_current_one(
    doctor, tokens_for, client_for, make_user
):
    older = tokens_for(doctor)
    client = client_for(doctor)
    tokens_for(make_user())  # someone else's
    ended = tokens_for(doctor)
    AuthSession.objects.filter(id=ended.session_id).update(
        ended_at=AuthSession.objects.get(id=ended.session_id).created_at
    )

    results = client.get("/v1/me/sessions").json()["results"]

    assert len(results) == 2
    assert results[0]["current"] is True
    assert results[1] == {**results[1], "id": str(older.session_id), "current": False}


@pytest.mark.django_db
def test_sessions_pages_with_a_cursor(doctor, tokens_for, client_for):
    for _ in range(7):
        tokens_for(doctor)
    client = client_for(doctor)

    seen: list[str] = []
    url = "/v1/me/sessions?limit=3"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 3
        seen += [row["id"] for row in page["results"]]
        url = page["next"]

    assert len(seen) == len(set(seen)) == 8


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 30])
def test_sessions_cost_the_same_queries_whatever_their_number(
    doctor, tokens_for, client_for, count, django_assert_num_queries
):
    for _ in range(count):
        tokens_for(doctor)
    client = client_for(doctor)

    # 1: authentication (session, user, organisation); 2: the page of sessions.
    with django_assert_num_queries(2):
        response = client.get("/v1/me/sessions?limit=100")

    assert len(response.json()["results"]) == count + 1


@pytest.mark.django_db
def test_a_limit_above_the_cap_is_capped(doctor, tokens_for, client_for):
    for _ in range(105):
        tokens_for(doctor)

    page = client_for(doctor).get("/v1/me/sessions?limit=1000").json()

    assert len(page["results"]) == 100
    assert page["next"]


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["0", "-1", "ten", "1.5", ""])
def test_a_malformed_limit_is_400(doctor_api, limit):
    problem = assert_problem(doctor_api.get(f"/v1/me/sessions?limit={limit}"), 400, "validation_error")

    assert problem["errors"][0]["field"] == "limit"


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["garbage", "cD0yMDI2", "%00"])
def test_a_malformed_cursor_is_400(doctor_api, cursor):
    response = doctor_api.get(f"/v1/me/sessions?cursor={cursor}")

    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_cursor", "null_character"}


@pytest.mark.django_db
def test_ending_one_session_leaves_the_others(doctor, tokens_for, client_for):
    other = tokens_for(doctor)
    client = client_for(doctor)

    response = client.delete(f"/v1/me/sessions/{other.session_id}")

    assert response.status_code == 204
    assert AuthSession.objects.get(id=other.session_id).ended_at is not None
    assert client.get("/v1/me").status_code == 200


@pytest.mark.django_db
def test_another_users_session_is_404_and_stays_live(doctor_api, make_user, tokens_for):
    theirs = tokens_for(make_user())

    assert_problem(doctor_api.delete(f"/v1/me/sessions/{theirs.session_id}"), 404, "not_found")
    assert AuthSession.objects.get(id=theirs.session_id).ended_at is None


@pytest.mark.django_db
def test_an_unknown_session_is_404(doctor_api):
    assert_problem(
        doctor_api.delete("/v1/me/sessions/00000000-0000-4000-8000-000000000000"), 404, "not_found"
    )


@pytest.mark.django_db
def test_sessions_need_a_token(api):
    assert_problem(api.get("/v1/me/sessions"), 401, "not_authenticated")
