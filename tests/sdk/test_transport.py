"""Retries, backoff, Retry-After, idempotency keys and token refresh, through an injected transport."""

from __future__ import annotations

import pytest

import kollega
from tests.sdk.fakes import Script, answer, problem, token_pair

ME = {
    "id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
    "email": "kari@example.org",
    "alias": "Kari",
    "role": "doctor",
    "language": "nb",
    "organisation": None,
    "date_joined": "2026-11-22T10:00:00Z",
    "updated_at": "2026-11-22T10:00:00Z",
}


def test_a_get_is_retried_after_network_errors_and_5xx_with_growing_jittered_backoff():
    script = Script(
        kollega.NetworkError("down"),
        answer(502, problem(502, "bad_gateway")),
        answer(500, problem(500, "internal_error")),
        answer(200, ME),
    )
    me = script.client().me.get()
    assert me.alias == "Kari"
    assert len(script.requests) == 4
    # uniform() is pinned to its upper bound: the caps of full jitter, doubling from 0.5 s.
    assert script.waits == [0.5, 1.0, 2.0]


def test_jitter_draws_between_zero_and_the_cap():
    draws: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        draws.append((low, high))
        return 0.1

    retry = kollega.Retry(uniform=uniform, backoff_max=3.0)
    assert [retry.backoff(n) for n in range(4)] == [0.1] * 4
    assert draws == [(0.0, 0.5), (0.0, 1.0), (0.0, 2.0), (0.0, 3.0)]


def test_retries_stop_after_max_retries_and_raise_the_last_error():
    script = Script(*[answer(503, problem(503, "service_unavailable"))] * 4)
    with pytest.raises(kollega.ServerError) as caught:
        script.client().me.get()
    assert caught.value.status == 503
    assert caught.value.code == "service_unavailable"
    assert caught.value.request_id == "req-1"
    assert len(script.requests) == 4


def test_retry_after_is_honoured_instead_of_the_backoff():
    script = Script(answer(429, problem(429, "rate_limited"), retry_after="7"), answer(200, ME))
    script.client().me.get()
    assert script.waits == [7.0]


def test_a_retry_after_beyond_the_limit_is_raised_at_once():
    script = Script(answer(429, problem(429, "rate_limited"), retry_after="900"))
    with pytest.raises(kollega.RateLimited) as caught:
        script.client().me.get()
    assert caught.value.retry_after == 900
    assert script.waits == []


def test_a_post_keeps_one_idempotency_key_across_its_retries_and_a_new_call_gets_a_new_one():
    booking_json = {
        "id": "b1",
        "status": "cancelled",
        "start": "2026-12-01T10:00:00Z",
        "end": "2026-12-01T10:45:00Z",
        "time_zone": "Europe/Oslo",
        "modality": "phone",
        "counsellor": {
            "id": "c1",
            "display_name": "Ingrid",
            "languages": ["nb"],
            "regions": [],
            "modalities": ["phone"],
            "time_zone": "Europe/Oslo",
        },
        "sequence": 1,
        "created_at": "2026-11-25T10:00:00Z",
        "updated_at": "2026-11-25T10:00:00Z",
    }
    script = Script(
        kollega.NetworkError("lost"),
        answer(409, problem(409, "idempotency_in_flight"), retry_after="1"),
        answer(200, booking_json),
        answer(200, booking_json),
    )
    client = script.client()
    booking = client.bookings.cancel("b1")
    assert booking.status == "cancelled"
    assert booking.counsellor.display_name == "Ingrid"
    keys = [r.headers["Idempotency-Key"] for r in script.requests]
    assert len(set(keys[:3])) == 1
    client.bookings.cancel("b1")
    assert script.requests[3].headers["Idempotency-Key"] != keys[0]


def test_validation_and_rule_errors_are_not_retried_and_carry_field_errors():
    errors = [{"field": "slot", "code": "required", "message": "This field is required."}]
    script = Script(answer(400, problem(400, "validation_error", errors=errors)))
    with pytest.raises(kollega.ValidationError) as caught:
        script.client().bookings.book(slot="", modality="phone")
    assert caught.value.errors == [kollega.FieldError("slot", "required", "This field is required.")]
    assert len(script.requests) == 1


def test_a_taken_slot_raises_slot_unavailable_with_typed_alternatives():
    slot = {
        "id": "s2",
        "start": "2026-12-01T11:00:00Z",
        "end": "2026-12-01T11:45:00Z",
        "time_zone": "Europe/Oslo",
        "modalities": ["phone"],
        "counsellor": {
            "id": "c1",
            "display_name": "Ingrid",
            "languages": ["nb"],
            "regions": [{"id": "r1", "code": "vestland", "name": "Vestland"}],
            "modalities": ["phone"],
            "time_zone": "Europe/Oslo",
        },
    }
    script = Script(answer(409, problem(409, "slot_unavailable", alternatives=[slot])))
    with pytest.raises(kollega.SlotUnavailable) as caught:
        script.client().bookings.book(slot="s1", modality="phone")
    (alternative,) = caught.value.alternatives
    assert alternative.id == "s2"
    assert alternative.counsellor.regions[0].code == "vestland"
    assert alternative.start.tzinfo is not None


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (401, "session_ended", kollega.AuthenticationError),
        (403, "permission_denied", kollega.PermissionDenied),
        (404, "not_found", kollega.NotFound),
        (409, "invalid_state", kollega.ConflictError),
        (422, "booking_too_soon", kollega.InvalidRequest),
        (410, "sync_cursor_expired", kollega.SyncCursorExpired),
    ],
)
def test_problem_codes_map_to_the_hierarchy(status, code, error):
    script = Script(answer(status, problem(status, code)))
    with pytest.raises(error) as caught:
        script.client().me.get()
    assert (caught.value.status, caught.value.code) == (status, code)


def test_an_expired_access_token_is_refreshed_once_and_the_call_replayed():
    saved: list[kollega.Tokens] = []
    script = Script(
        answer(401, problem(401, "token_invalid")),
        answer(200, token_pair("two")),
        answer(200, ME),
    )
    script.client(on_tokens=saved.append).me.get()
    first, refresh, replay = script.requests
    assert first.headers["Authorization"] == "Bearer access-one"
    assert refresh.url.endswith("/v1/auth/token/refresh")
    assert refresh.json() == {"refresh": "refresh-one"}
    assert "Authorization" not in refresh.headers
    assert refresh.headers["Idempotency-Key"]
    assert replay.headers["Authorization"] == "Bearer access-two"
    assert [t.access for t in saved] == ["access-two"]


def test_a_refresh_whose_answer_was_lost_is_retried_with_the_same_key_and_token():
    script = Script(kollega.NetworkError("lost"), answer(200, token_pair("two")), answer(200, ME))
    client = script.client(tokens=kollega.Tokens.from_json(token_pair("one", expires_in=0)))
    client.me.get()
    lost, again, call = script.requests
    assert lost.url.endswith("/v1/auth/token/refresh")
    assert again.headers["Idempotency-Key"] == lost.headers["Idempotency-Key"]
    assert again.body == lost.body
    assert call.headers["Authorization"] == "Bearer access-two"


def test_a_token_about_to_expire_is_refreshed_before_the_call():
    script = Script(answer(200, token_pair("two")), answer(200, ME))
    script.client(tokens=kollega.Tokens.from_json(token_pair("one", expires_in=5))).me.get()
    assert script.requests[0].url.endswith("/v1/auth/token/refresh")
    assert script.requests[1].headers["Authorization"] == "Bearer access-two"


def test_an_ended_session_signs_in_again_with_the_password_it_was_given():
    script = Script(
        answer(200, token_pair("one")),
        answer(401, problem(401, "token_invalid")),
        answer(401, problem(401, "token_reused")),
        answer(200, token_pair("three")),
        answer(200, ME),
    )
    client = script.client(tokens=None, email="kari@example.org", password="a long passphrase")
    client.me.get()
    urls = [r.url.removeprefix("https://api.test") for r in script.requests]
    assert urls == ["/v1/auth/token", "/v1/me", "/v1/auth/token/refresh", "/v1/auth/token", "/v1/me"]
    assert script.requests[-1].headers["Authorization"] == "Bearer access-three"


def test_without_a_password_an_ended_session_is_an_authentication_error():
    script = Script(answer(401, problem(401, "token_invalid")), answer(401, problem(401, "session_ended")))
    client = script.client()
    with pytest.raises(kollega.AuthenticationError) as caught:
        client.me.get()
    assert caught.value.code == "session_ended"
    assert client.tokens is None


def test_lists_follow_the_cursor_pages_as_they_are_iterated():
    counsellor = {
        "display_name": "X",
        "languages": [],
        "regions": [],
        "modalities": [],
        "time_zone": "Europe/Oslo",
    }
    script = Script(
        answer(
            200,
            {"next": "http://internal:8000/v1/counsellors?cursor=abc", "results": [counsellor | {"id": "1"}]},
        ),
        answer(200, {"next": None, "results": [counsellor | {"id": "2"}, counsellor | {"id": "3"}]}),
    )
    ids = [c.id for c in script.client().counsellors.list(region="vestland")]
    assert ids == ["1", "2", "3"]
    assert script.requests[0].url == "https://api.test/v1/counsellors?region=vestland"
    # The next page is asked of our base URL, whatever host the server named.
    assert script.requests[1].url == "https://api.test/v1/counsellors?cursor=abc"


def test_tokens_and_keys_never_show_in_reprs():
    tokens = kollega.Tokens.from_json(token_pair("secret"))
    assert "secret" not in repr(tokens)
    keys = kollega.DeviceKeys.generate()
    assert repr(keys) == f"DeviceKeys(device_id={keys.device_id!r})"


def test_close_and_context_manager_close_the_transport():
    closed = []

    class Recording(kollega.MockTransport):
        def close(self) -> None:
            closed.append(True)

    with kollega.Client("https://api.test", transport=Recording(lambda r: answer(200, ME))) as client:
        assert client.tokens is None
    assert closed == [True]
