"""Metrics through the SDK and the `kollega metrics export` command, against a live server.

A secret key reads its organisation's figures; with one doctor every figure rests on fewer than
k = 5 doctors, so what comes back is suppressed, in JSON and CSV alike.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

import kollega
from api.accounts.models import Role
from api.availability.models import Slot
from api.bookings.services import booking_create
from api.counsellors.models import Modality
from api.metrics.rollups import rollups_refresh_all
from api.organisations.keys import api_key_create
from api.organisations.models import ApiKeyKind
from kollega._cli import main

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def secret_key(organisation, make_user, make_counsellor, doctor):
    counsellor = make_counsellor()
    start = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    slot = Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
    )
    booking_create(doctor=doctor, slot_id=slot.pk, modality=Modality.PHONE)
    rollups_refresh_all()
    return api_key_create(
        organisation=organisation,
        kind=ApiKeyKind.SECRET,
        name="research",
        created_by=make_user(Role.COORDINATOR, organisation=organisation),
        scopes=["metrics:read"],
    ).key


def test_a_secret_key_reads_suppressed_figures_as_a_table_and_as_csv(live_server, secret_key):
    month = timezone.now().strftime("%Y-%m")
    with kollega.Client(live_server.url, api_key=secret_key) as client:
        table = client.metrics.table("bookings", start=month, end=month, group_by=["month"])
        text = client.metrics.csv("bookings", start=month, end=month, group_by=["month"])

    assert table.metric == "bookings"
    assert table.protection.method == "suppression"
    assert table.protection.threshold == 5
    assert table.entries, "the month's cells and totals"
    assert all(entry["suppressed"] and entry["value"] is None for entry in table.entries)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(table.entries)
    assert {row["kind"] for row in rows} == {entry["kind"] for entry in table.entries}


def test_a_user_client_cannot_read_metrics(live_server, doctor):
    with (
        kollega.Client(
            live_server.url, email=doctor.email, password="a long and unusual passphrase"
        ) as client,
        pytest.raises(kollega.AuthenticationError) as refused,
    ):
        client.metrics.table("bookings")
    assert refused.value.code == "api_key_invalid"


def test_the_command_exports_each_metric_to_a_file_with_a_progress_bar(
    live_server, secret_key, tmp_path, monkeypatch
):
    monkeypatch.setenv("KOLLEGA_SECRET_KEY", secret_key)
    out, err = io.StringIO(), io.StringIO()

    code = main(
        [
            "metrics",
            "export",
            "--base-url",
            live_server.url,
            "--metric",
            "bookings",
            "--metric",
            "cancellations",
            "--output",
            str(tmp_path / "figures"),
        ],
        out=out,
        err=err,
    )

    assert code == 0, err.getvalue()
    for metric in ("bookings", "cancellations"):
        header = (tmp_path / "figures" / f"{metric}.csv").read_text().splitlines()[0]
        assert "kind" in header
        assert "suppressed" in header
    assert "[########################] 2/2" in err.getvalue()
    assert secret_key not in err.getvalue() + out.getvalue()


def test_the_command_needs_the_key_in_the_environment(live_server, monkeypatch):
    monkeypatch.delenv("KOLLEGA_SECRET_KEY", raising=False)

    with pytest.raises(SystemExit, match="KOLLEGA_SECRET_KEY"):
        main(["metrics", "export", "--base-url", live_server.url], out=io.StringIO(), err=io.StringIO())
