"""The offline outbox with an injected transport: a queued message resealed after device_list_stale."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import kollega
from tests.sdk.fakes import answer, problem, token_pair

NOW = "2026-11-25T10:00:00Z"


def test_a_queued_message_refused_as_stale_is_sealed_again_and_sent_once(tmp_path):
    counsellor = kollega.DeviceKeys.generate()
    pushes: list[dict[str, Any]] = []

    def server(request: kollega.Request) -> kollega.Response:
        path = request.url.removeprefix("https://api.test").split("?")[0]
        if request.method == "PUT":
            return answer(
                201,
                request.json()
                | {"id": path.rsplit("/", 1)[1], "platform": "other", "created_at": NOW, "updated_at": NOW},
            )
        if path == "/v1/threads/t1/devices":
            device = {"id": counsellor.device_id, "participant": "counsellor", "created_at": NOW}
            return answer(200, [device | counsellor.registration()])
        if path == "/v1/sync/push":
            body = request.json()
            pushes.append(body)
            stale = len(pushes) == 1
            return answer(
                200,
                {
                    "results": [
                        {
                            "client_id": body["client_id"],
                            "sequence": m["sequence"],
                            "type": m["type"],
                            "status": "rejected" if stale else "applied",
                            "result": None if stale else {"id": "m1"},
                            "problem": problem(409, "device_list_stale") if stale else None,
                        }
                        for m in body["mutations"]
                    ]
                },
            )
        if path == "/v1/sync/pull":
            return answer(200, {"cursor": "c1", "has_more": False, "changes": []})
        raise AssertionError(path)

    store = tmp_path / "store.sqlite3"
    client = kollega.Client(
        "https://api.test",
        tokens=kollega.Tokens.from_json(token_pair("one")),
        transport=kollega.MockTransport(server),
        store=store,
    )
    queued = client.offline.send_message("t1", "Hei")
    report = client.offline.sync()
    first, again = client.offline.actions()
    assert (first.sequence, first.state) == (queued.sequence, "rejected")
    error = first.error
    assert isinstance(error, kollega.DeviceListStale)
    assert error.code == "device_list_stale"
    assert again.state == "applied"
    assert [a.sequence for a in report.settled] == [first.sequence, again.sequence]
    sent = [p["mutations"][0]["args"] for p in pushes]
    assert sent[0]["client_message_id"] == sent[1]["client_message_id"], "the server dedupes by it"
    assert sent[0]["envelopes"][0]["nonce"] != sent[1]["envelopes"][0]["nonce"], "sealed afresh"
    assert "Hei" not in json.dumps(pushes)
    assert all("text" not in m["args"] for p in pushes for m in p["mutations"])
    client.close()
    with sqlite3.connect(store) as db:
        assert all("Hei" not in row[0] for row in db.execute("SELECT args FROM outbox"))
