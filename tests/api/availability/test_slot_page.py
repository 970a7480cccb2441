"""The hand-written availability statement (PostgreSQL) against the ORM's reading of the same rules.

`api.availability.slot_page` exists only for speed: whatever it returns, `open_slots` with
`open_slot_rows` must return too, for every combination of filters, in both directions and from
any cursor position.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from api.availability.models import Slot
from api.availability.selectors import open_slot_rows, open_slots
from api.availability.slot_page import open_slot_page
from api.counsellors.models import ExcludedCounsellor, Region
from api.counsellors.selectors import summary_lists_attach

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ALL = 1000


@pytest.fixture
def world(doctor, make_counsellor, organisation):
    """Counsellors who differ in every way a filter or rule can tell apart, with slots that tie."""
    now = timezone.now().replace(microsecond=0)
    vestland = Region.objects.create(organisation=organisation, code="vestland", name="Vestland")
    agder = Region.objects.create(organisation=organisation, code="agder", name="Agder")
    counsellors = {
        "both": make_counsellor(languages=("nb", "en"), regions=(vestland, agder), video=True),
        "noticing": make_counsellor(
            languages=("en",), regions=(vestland,), min_notice=timedelta(hours=10), in_person=True
        ),
        "near": make_counsellor(languages=("se",), horizon=timedelta(days=2), video=True, phone=False),
        "bare": make_counsellor(languages=()),
        "inactive": make_counsellor(languages=("en",), regions=(vestland,), active=False),
        "excluded": make_counsellor(languages=("en",), regions=(vestland,)),
    }
    ExcludedCounsellor.objects.create(doctor=doctor, counsellor=counsellors["excluded"])
    slots = []
    for index, counsellor in enumerate(counsellors.values()):
        for hours in (1, 5, 12, 30, 60, 24 * 3, 24 * 20):
            # Every counsellor has slots at the same hours: ties on start, told apart by id.
            start = now + timedelta(hours=hours)
            slots.append(
                Slot(
                    counsellor=counsellor,
                    start=start,
                    end=start + timedelta(minutes=45),
                    phone=counsellor.phone,
                    video=counsellor.video and hours % 2 == 0,
                    in_person=counsellor.in_person,
                    status=Slot.Status.BOOKED if (hours, index) == (12, 0) else Slot.Status.OPEN,
                )
            )
    Slot.objects.bulk_create(slots)
    return {"now": now, "regions": (vestland, agder), "counsellors": counsellors}


def _by_orm(doctor, *, ordering=("start", "id"), position=None, window=slice(0, ALL), **query):
    rows = open_slot_rows(open_slots(viewer=doctor, **query)).order_by(*ordering)
    if position is not None:
        rows = rows.filter(**position)
    page = list(rows[window])
    summary_lists_attach(page)
    return page


def _by_sql(doctor, *, ordering=("start", "id"), position=None, window=slice(0, ALL), **query):
    page = open_slot_page(viewer_id=doctor.pk, **query).order_by(*ordering)
    if position is not None:
        page = page.filter(**position)
    return page[window]


def test_every_combination_of_filters_reads_the_same_rows(doctor, world):
    now = world["now"]
    vestland, agder = world["regions"]
    combinations = itertools.product(
        (None, vestland.id, agder.id),
        (None, "en", "se"),
        (None, "phone", "video", "in_person"),
        (None, world["counsellors"]["both"].id),
        (False, True),
    )
    compared = non_empty = several = 0
    for region, language, modality, counsellor, first in combinations:
        query = {
            "start": now,
            "end": now + timedelta(days=30),
            "now": now,
            "region": region,
            "language": language,
            "modality": modality,
            "counsellor": counsellor,
            "first_per_counsellor": first,
        }
        expected = _by_orm(doctor, **query)
        assert _by_sql(doctor, **query) == expected, query
        compared += 1
        non_empty += len(expected) > 0
        several += len(expected) > 1

    assert compared == 144
    # The comparison means something only if most filters leave rows, and many several, to compare.
    # (84 and 51 with this world.)
    assert non_empty >= 80
    assert several >= 50


def test_rows_carry_the_counsellors_languages_and_regions_in_order(doctor, world):
    now = world["now"]
    rows = _by_sql(
        doctor, start=now, end=now + timedelta(days=1), now=now, counsellor=world["counsellors"]["both"].id
    )

    assert rows[0]["languages"] == ["en", "nb"]
    assert [(r["code"], r["name"]) for r in rows[0]["regions"]] == [
        ("agder", "Agder"),
        ("vestland", "Vestland"),
    ]
    assert rows[0]["regions"][0]["id"] == str(world["regions"][1].id)


@pytest.mark.parametrize("ordering", [("start", "id"), ("-start", "-id")])
@pytest.mark.parametrize("window", [slice(0, 4), slice(2, 7)])
def test_a_cursor_position_and_offset_read_as_the_orm_reads_them(doctor, world, ordering, window):
    now = world["now"]
    query = {"start": now, "end": now + timedelta(days=30), "now": now}
    middle = now + timedelta(hours=30)
    lookup = "start__lt" if ordering[0].startswith("-") else "start__gt"
    # A cursor's position is the text of a start time.
    position = {lookup: str(middle)}

    expected = _by_orm(doctor, ordering=ordering, position=position, window=window, **query)

    assert _by_sql(doctor, ordering=ordering, position=position, window=window, **query) == expected
    assert len(expected) == window.stop - window.start


def test_a_position_that_is_not_a_time_is_refused_as_the_orm_refuses_it(doctor, world):
    now = world["now"]
    page = open_slot_page(viewer_id=doctor.pk, start=now, end=now + timedelta(days=1), now=now)

    with pytest.raises(ValidationError):
        page.filter(start__gt="not-a-date")
