"""Each metric against a small dataset computed by hand, with the organisation's k at 3."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from tests.api.metrics.conftest import entry

pytestmark = pytest.mark.django_db

RANGE = {"start": "2026-01", "end": "2026-02"}


@pytest.fixture(autouse=True)
def threshold_three(organisation):
    organisation.suppression_threshold = 3
    organisation.save()


@pytest.fixture
def counsellors(make_counsellor, regions):
    return {
        "oslo": make_counsellor(regions=(regions["oslo"],)),
        # In two regions: counts in the first by code, so that regions add up to the total.
        "both": make_counsellor(regions=(regions["vestland"], regions["oslo"])),
        "vestland": make_counsellor(regions=(regions["vestland"],)),
        "none": make_counsellor(),
    }


@pytest.fixture
def bookings(counsellors, book, make_user):
    """January: Oslo 4 bookings by 4 doctors, Vestland 2 by 1 doctor, no region 3 by 3.
    February: 3 bookings by 3 doctors with the counsellor in both regions (so Oslo)."""
    for waited in (1, 2, 3, 10):
        book(counsellors["oslo"], "2026-01", waited=waited)
    regular = make_user()
    for waited in (5, 5):
        book(counsellors["vestland"], "2026-01", doctor=regular, modality="video", waited=waited)
    for waited in (0, 1, 2):
        book(counsellors["none"], "2026-01", modality="video", waited=waited)
    for _ in range(3):
        book(counsellors["both"], "2026-02", waited=4)


def test_bookings_by_month(key_api, bookings, refresh):
    refresh()

    body = key_api().get("/v1/metrics/bookings", RANGE).json()

    assert [(e["kind"], e["month"], e["value"]) for e in body["entries"]] == [
        ("cell", "2026-01", 9),
        ("cell", "2026-02", 3),
        ("total", None, 12),
    ]
    assert body["protection"] == {
        "method": "suppression",
        "threshold": 3,
        "epsilon": None,
        "contribution_bound": None,
        "budget_remaining": None,
    }
    assert body["as_of"] is not None


def test_bookings_by_month_and_region_withhold_small_cells_and_what_would_reveal_them(
    key_api, bookings, refresh
):
    refresh()

    body = key_api().get("/v1/metrics/bookings", RANGE | {"group_by": "month,region"}).json()

    truth = {
        ("cell", "2026-01", "oslo"): 4,
        ("cell", "2026-01", "vestland"): 2,
        ("cell", "2026-01", None): 3,
        ("cell", "2026-02", "oslo"): 3,
        ("cell", "2026-02", "vestland"): 0,
        ("cell", "2026-02", None): 0,
        ("row_total", "2026-01", None): 9,
        ("row_total", "2026-02", None): 3,
        ("column_total", None, "oslo"): 7,
        ("column_total", None, "vestland"): 2,
        ("column_total", None, None): 3,
        ("total", None, None): 12,
    }
    published = {(e["kind"], e["month"], e["region"]): e for e in body["entries"]}
    assert set(published) == set(truth)
    for key, e in published.items():
        assert e["suppressed"] == (e["value"] is None)
        if not e["suppressed"]:
            assert e["value"] == truth[key], key
    # One doctor in Vestland in January: withheld, and so are empty cells (fewer than 3 doctors).
    for key in [("cell", "2026-01", "vestland"), ("cell", "2026-02", "vestland"), ("cell", "2026-02", None)]:
        assert published[key]["suppressed"]
    # January's other cells and total would give Vestland's 2 by subtraction: one must go too.
    january = [published[("cell", "2026-01", r)] for r in ("oslo", None)] + [
        published[("row_total", "2026-01", None)]
    ]
    assert any(e["suppressed"] for e in january)
    assert not published[("total", None, None)]["suppressed"]


def test_bookings_by_modality_and_status(key_api, counsellors, book, refresh):
    for _ in range(3):
        book(counsellors["oslo"], "2026-01", modality="video", status="confirmed")
    refresh()

    body = key_api().get("/v1/metrics/bookings", RANGE | {"group_by": "modality,status"}).json()

    assert entry(body, modality="video", status="confirmed")["value"] == 3
    assert entry(body, modality="phone", status="confirmed")["suppressed"]
    assert entry(body, "total")["value"] == 3


def test_help_seeking_by_category(key_api, counsellors, book, refresh):
    for category, doctors in (("advice", 3), ("not_coping", 4), ("way_back_or_out", 1)):
        for _ in range(doctors):
            book(counsellors["oslo"], "2026-01", category=category)
    refresh()

    body = key_api().get("/v1/metrics/help-seeking", RANGE | {"group_by": ""}).json()

    assert [(e["kind"], e["category"], e["value"]) for e in body["entries"]] == [
        ("cell", "advice", 3),
        ("cell", "not_coping", 4),
        ("cell", "way_back_or_out", None),
        ("cell", None, None),  # none given: no one, which is fewer than 3
        ("total", None, 8),
    ]


def test_cancellations_hide_a_second_cell_beside_a_lone_small_one(key_api, counsellors, book, refresh):
    for _ in range(3):
        book(counsellors["oslo"], "2026-01", status="cancelled")
    book(counsellors["oslo"], "2026-01", status="cancelled", late=True)
    for _ in range(3):
        book(counsellors["oslo"], "2026-01", status="no_show")
    book(counsellors["oslo"], "2026-01", status="completed")
    refresh()

    body = key_api().get("/v1/metrics/cancellations", RANGE | {"group_by": ""}).json()

    assert [(e["kind"], e["outcome"], e["value"]) for e in body["entries"]] == [
        ("cell", "cancelled", None),  # 7 - 3 - x would give the late one: the smaller other goes
        ("cell", "cancelled_late", None),
        ("cell", "no_show", 3),
        ("total", None, 7),
    ]


def test_waiting_time_median_and_90th_percentile(key_api, bookings, counsellors, book, refresh):
    book(counsellors["oslo"], "2026-01", status="cancelled", waited=30)  # waited for nothing: left out
    refresh()

    body = key_api().get("/v1/metrics/waiting-time", RANGE | {"group_by": "region"}).json()

    # Waits: 1 2 3 10 | 5 5 | 0 1 2 | 4 4 4. All: 0 1 1 2 2 3 4 4 4 5 5 10.
    assert entry(body, "total") == {
        "kind": "total",
        "region": None,
        "median_days": 3.5,
        "p90_days": 5.0,
        "suppressed": False,
    }
    # Oslo: 1 2 3 4 4 4 10 (7 doctors): median 4, 90th percentile the 7th of 7.
    assert entry(body, region="oslo")["median_days"] == 4.0
    assert entry(body, region="oslo")["p90_days"] == 10.0
    # Vestland rests on one doctor: nothing about it is shown.
    assert entry(body, region="vestland") | {"region": None} == {
        "kind": "cell",
        "region": None,
        "median_days": None,
        "p90_days": None,
        "suppressed": True,
    }


def test_followup_response_rates(key_api, followup, refresh):
    for answered in (True, True, True, True, False):
        followup("2026-01", offset_days=10, answered=answered)
    followup("2026-02", offset_days=365, answered=True)
    followup("2026-02", offset_days=365, answered=False)
    refresh()

    body = key_api().get("/v1/metrics/followup-response", RANGE | {"group_by": ""}).json()

    assert [(e["kind"], e["offset_days"], e["response_rate"]) for e in body["entries"]] == [
        ("cell", 0, None),
        ("cell", 10, 0.8),
        ("cell", 365, None),
        ("total", None, 0.714),  # 4 + 1 answered of 5 + 2
    ]


def test_wellbeing_means_change_and_distribution(key_api, score, refresh):
    people = {name: uuid.uuid4() for name in "ABCD"}
    for name, value in zip("ABCD", (40, 40, 60, 20), strict=True):
        score(people[name], "2026-01", offset_days=0, value=value)
    for name, value in zip("ABC", (60, 48, 64), strict=True):
        score(people[name], "2026-02", offset_days=10, value=value)
    refresh()

    body = key_api().get("/v1/metrics/wellbeing", RANGE).json()

    baseline = entry(body, "row_total", offset_days=0)
    assert (baseline["value"], baseline["mean_score"], baseline["mean_change"]) == (4, 40.0, None)
    later = entry(body, "row_total", offset_days=10)
    # Changes from each person's baseline: +20, +8, +4. The count (3) is withheld all the same:
    # with it, the year's withheld count would be 7 - 4 - 3. A mean gives no count away.
    assert (later["value"], later["mean_score"], later["mean_change"]) == (None, 57.3, 10.7)
    year = entry(body, "row_total", offset_days=365)
    assert (year["value"], year["mean_score"], year["suppressed"]) == (None, None, True)
    # Every band rests on fewer than 3 people.
    assert all(e["suppressed"] for e in body["entries"] if e["kind"] in {"cell", "column_total"})
    assert entry(body, "total")["value"] == 7


def test_csv_and_json_agree(key_api, bookings, refresh):
    refresh()
    client = key_api()
    query = RANGE | {"group_by": "month,region"}

    as_json = client.get("/v1/metrics/bookings", query).json()
    as_csv = client.get("/v1/metrics/bookings", query, HTTP_ACCEPT="text/csv")

    assert as_csv.status_code == 200
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in as_csv["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert list(rows[0]) == ["kind", "month", "region", "value", "suppressed"]

    def shown(value):
        if value is None:
            return ""
        return str(value).lower() if isinstance(value, bool) else str(value)

    assert rows == [{name: shown(value) for name, value in e.items()} for e in as_json["entries"]]


def test_figures_are_as_of_the_last_rollup(key_api, counsellors, book, refresh):
    body = key_api().get("/v1/metrics/bookings", RANGE).json()
    assert body["as_of"] is None
    assert entry(body, "total")["suppressed"]

    for _ in range(3):
        book(counsellors["oslo"], "2026-01")
    refresh()
    book(counsellors["oslo"], "2026-01")  # after the rollup: not counted until the next

    assert entry(key_api().get("/v1/metrics/bookings", RANGE).json(), "total")["value"] == 3


def test_the_rollup_time_is_also_last_modified(key_api, refresh):
    client = key_api()
    assert "Last-Modified" not in client.get("/v1/metrics/bookings")

    refresh()

    assert client.get("/v1/metrics/bookings", HTTP_ACCEPT="text/csv")["Last-Modified"].endswith("GMT")
