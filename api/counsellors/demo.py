"""The demo data `manage.py seed_demo` loads: an organisation, its regions and its counsellors.

Everything here is invented: the names, the roles and the places are made up, and no account has
a password (nobody can sign in as a demo counsellor). Loading is idempotent: what exists is found
by its natural key (organisation slug, region code, counsellor e-mail) and kept as it is, so a
developer's own changes to demo counsellors survive `make run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from api.accounts.models import Language, Role, User
from api.availability.models import Slot
from api.availability.services import schedule_replace, slots_sync
from api.counsellors.models import CounsellorLanguage, CounsellorProfile, Modality, Region
from api.organisations.models import Organisation

ORGANISATION_SLUG = "demo"
EMAIL_DOMAIN = "demo.kollega.invalid"
BUFFER_MINUTES = 15
HORIZON = timedelta(days=60)

# Norwegian counties, by code and name.
REGIONS: tuple[tuple[str, str], ...] = (
    ("oslo", "Oslo"),
    ("vestland", "Vestland"),
    ("trondelag", "Trøndelag"),
    ("nordland", "Nordland"),
)

PHONE, VIDEO, IN_PERSON = Modality.PHONE.value, Modality.VIDEO.value, Modality.IN_PERSON.value


@dataclass(frozen=True)
class DemoRule:
    """Weekly hours in the counsellor's time zone (0 is Monday)."""

    weekday: int
    start: time
    end: time
    slot_minutes: int
    modalities: tuple[str, ...]

    def as_rule(self) -> dict[str, Any]:
        """The rule in the shape `schedule_replace` takes."""
        return {
            "weekday": self.weekday,
            "start": self.start,
            "end": self.end,
            "slot_minutes": self.slot_minutes,
            "buffer_minutes": BUFFER_MINUTES,
            **{m.value: m.value in self.modalities for m in Modality},
        }


@dataclass(frozen=True)
class DemoCounsellor:
    """One invented counsellor: their profile and weekly schedule."""

    number: int
    first_name: str
    role: str
    bio: str
    regions: tuple[str, ...]
    languages: tuple[str, ...]
    modalities: tuple[str, ...]
    rules: tuple[DemoRule, ...]
    in_person_location: str = ""
    time_zone: str = "Europe/Oslo"
    min_notice: timedelta = timedelta(hours=4)
    daily_cap: int | None = None

    @property
    def email(self) -> str:
        return f"counsellor{self.number}@{EMAIL_DOMAIN}"

    @property
    def display_name(self) -> str:
        return f"{self.first_name}, {self.role}"


@dataclass(frozen=True)
class DemoSummary:
    """What a load did: counts for the command's one-line report."""

    organisation_created: bool
    regions: int
    counsellors_created: int
    counsellors_kept: int
    open_slots: int


def _evening(weekday: int, *, slot_minutes: int, modalities: tuple[str, ...]) -> DemoRule:
    return DemoRule(weekday, time(18), time(21), slot_minutes, modalities)


def _morning(weekday: int, *, slot_minutes: int, modalities: tuple[str, ...]) -> DemoRule:
    return DemoRule(weekday, time(9), time(12), slot_minutes, modalities)


MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

COUNSELLORS: tuple[DemoCounsellor, ...] = (
    DemoCounsellor(
        number=1,
        first_name="Ingrid",
        role="GP in Bergen",
        bio="Twenty years in general practice, the last ten with a list of her own. Trained peer counsellor.",
        regions=("vestland",),
        languages=("nb", "en"),
        modalities=(PHONE, VIDEO),
        rules=(
            _evening(MON, slot_minutes=45, modalities=(PHONE, VIDEO)),
            _evening(WED, slot_minutes=45, modalities=(PHONE, VIDEO)),
        ),
        daily_cap=3,
    ),
    DemoCounsellor(
        number=2,
        first_name="Magnus",
        role="psychiatrist in Oslo",
        bio="Adult psychiatry in a hospital outpatient clinic. Meets colleagues in person or on video.",
        regions=("oslo",),
        languages=("nb", "en"),
        modalities=(VIDEO, IN_PERSON),
        in_person_location="A quiet meeting room in Oslo city centre; the address comes with the booking.",
        rules=(
            _evening(TUE, slot_minutes=60, modalities=(VIDEO, IN_PERSON)),
            _morning(SAT, slot_minutes=60, modalities=(VIDEO,)),
        ),
    ),
    DemoCounsellor(
        number=3,
        first_name="Sunniva",
        role="anaesthetist in Trondheim",
        bio="Anaesthesia and intensive care, shift work for fifteen years. Knows night shifts well.",
        regions=("trondelag",),
        languages=("nb",),
        modalities=(PHONE, VIDEO),
        rules=(
            _evening(MON, slot_minutes=45, modalities=(PHONE, VIDEO)),
            _evening(THU, slot_minutes=45, modalities=(PHONE, VIDEO)),
        ),
        min_notice=timedelta(hours=6),
    ),
    DemoCounsellor(
        number=4,
        first_name="Eirik",
        role="surgeon in Bodø",
        bio="General surgeon in a regional hospital. Has been through a complaint case himself.",
        regions=("nordland",),
        languages=("nb", "se"),
        modalities=(PHONE, VIDEO, IN_PERSON),
        in_person_location="Bodø, near the hospital; the place is agreed after booking.",
        rules=(
            _evening(TUE, slot_minutes=60, modalities=(PHONE, VIDEO, IN_PERSON)),
            _evening(THU, slot_minutes=60, modalities=(PHONE, VIDEO)),
        ),
    ),
    DemoCounsellor(
        number=5,
        first_name="Maren",
        role="GP in Narvik",
        bio="Rural general practice and out-of-hours duty. Speaks Northern Sami.",
        regions=("nordland",),
        languages=("nb", "se"),
        modalities=(PHONE, VIDEO),
        rules=(
            _evening(WED, slot_minutes=45, modalities=(PHONE, VIDEO)),
            _morning(SUN, slot_minutes=45, modalities=(PHONE,)),
        ),
        daily_cap=2,
    ),
    DemoCounsellor(
        number=6,
        first_name="Tomasz",
        role="internist in Oslo",
        bio="Internal medicine; came to Norway as a young doctor and remembers what the first years cost.",
        regions=("oslo",),
        languages=("nb", "en", "pl"),
        modalities=(PHONE, VIDEO),
        rules=(
            _evening(MON, slot_minutes=60, modalities=(PHONE, VIDEO)),
            _evening(THU, slot_minutes=60, modalities=(VIDEO,)),
        ),
    ),
    DemoCounsellor(
        number=7,
        first_name="Agnieszka",
        role="GP in Trondheim",
        bio="General practice in a group practice. Happy to talk in Polish, Norwegian or English.",
        regions=("trondelag",),
        languages=("nb", "en", "pl"),
        modalities=(VIDEO,),
        rules=(
            _evening(TUE, slot_minutes=45, modalities=(VIDEO,)),
            _morning(SAT, slot_minutes=45, modalities=(VIDEO,)),
        ),
    ),
    DemoCounsellor(
        number=8,
        first_name="Henrik",
        role="occupational physician in Bergen",
        bio="Occupational medicine; helps with the way back to work after sick leave.",
        regions=("vestland",),
        languages=("nb",),
        modalities=(PHONE, IN_PERSON),
        in_person_location="Bergen, close to the central station; the address comes with the booking.",
        rules=(
            _evening(WED, slot_minutes=60, modalities=(PHONE, IN_PERSON)),
            _evening(FRI, slot_minutes=60, modalities=(PHONE,)),
        ),
        min_notice=timedelta(hours=6),
    ),
    DemoCounsellor(
        number=9,
        first_name="Solveig",
        role="retired GP in Lofoten",
        bio="Forty years as a GP in the north, now retired and giving her time to colleagues by phone.",
        regions=("nordland", "trondelag"),
        languages=("nb",),
        modalities=(PHONE,),
        rules=(
            _morning(SAT, slot_minutes=60, modalities=(PHONE,)),
            _morning(SUN, slot_minutes=60, modalities=(PHONE,)),
            DemoRule(TUE, time(10), time(13), 60, (PHONE,)),
        ),
    ),
    DemoCounsellor(
        number=10,
        first_name="Jonas",
        role="emergency physician in Oslo",
        bio="Emergency medicine and pre-hospital care. Used to hard cases and what they leave behind.",
        regions=("oslo",),
        languages=("nb", "en"),
        modalities=(VIDEO,),
        rules=(
            _evening(WED, slot_minutes=45, modalities=(VIDEO,)),
            _evening(FRI, slot_minutes=45, modalities=(VIDEO,)),
        ),
        min_notice=timedelta(hours=3),
    ),
    DemoCounsellor(
        number=11,
        first_name="Liv",
        role="psychiatrist in Førde",
        bio="Child and adolescent psychiatry in a small hospital. Peer counsellor for eight years.",
        regions=("vestland",),
        languages=("nb", "en"),
        modalities=(PHONE, VIDEO),
        rules=(
            _evening(THU, slot_minutes=60, modalities=(PHONE, VIDEO)),
            _morning(SUN, slot_minutes=60, modalities=(VIDEO,)),
        ),
    ),
    DemoCounsellor(
        number=12,
        first_name="Nora",
        role="GP in New York",
        bio="Norwegian GP working in New York; talks with colleagues abroad or thinking of going.",
        regions=(),
        languages=("en", "nb"),
        modalities=(VIDEO,),
        # Her hours are in New York time: 07:00-10:00 there is early afternoon in Oslo.
        time_zone="America/New_York",
        rules=(
            DemoRule(TUE, time(7), time(10), 45, (VIDEO,)),
            DemoRule(THU, time(7), time(10), 45, (VIDEO,)),
        ),
    ),
)


def demo_organisation_get_or_create() -> tuple[Organisation, bool]:
    """The demo organisation, and whether it was created now."""
    return Organisation.objects.get_or_create(
        slug=ORGANISATION_SLUG,
        defaults={"name": "Demo Medical Association", "country": "NO", "time_zone": "Europe/Oslo"},
    )


def demo_regions_ensure(*, organisation: Organisation) -> dict[str, Region]:
    """The demo counties of `organisation` by code, created where missing, names left as they are."""
    regions: dict[str, Region] = {}
    for code, name in REGIONS:
        regions[code], _ = Region.objects.get_or_create(
            organisation=organisation, code=code, defaults={"name": name}
        )
    return regions


def demo_counsellor_ensure(
    *, organisation: Organisation, regions: dict[str, Region], spec: DemoCounsellor
) -> bool:
    """Creates the counsellor for `spec` with a schedule and open slots, unless the e-mail exists.

    A counsellor found is kept as it is; only their open slots are rolled forward to the horizon
    (what the periodic task does), so a demo server started after a break has a full calendar.
    Returns whether the counsellor was created.
    """
    existing = User.objects.filter(email=spec.email).first()
    if existing is not None:
        profile = CounsellorProfile.objects.filter(user=existing).first()
        if profile is not None:
            slots_sync(counsellor=profile)
        return False
    with transaction.atomic():
        user = User(
            email=spec.email,
            alias=spec.first_name,
            role=Role.COUNSELLOR,
            organisation=organisation,
            language=Language.EN if spec.languages[0] == "en" else Language.NB,
        )
        user.set_unusable_password()
        user.save()
        profile = CounsellorProfile.objects.create(
            user=user,
            organisation=organisation,
            display_name=spec.display_name,
            bio=spec.bio,
            in_person_location=spec.in_person_location,
            time_zone=spec.time_zone,
            **{m.value: m.value in spec.modalities for m in Modality},
        )
        CounsellorLanguage.objects.bulk_create(
            CounsellorLanguage(counsellor=profile, code=code) for code in spec.languages
        )
        profile.regions.set([regions[code] for code in spec.regions])
        schedule_replace(
            counsellor=profile,
            time_zone=spec.time_zone,
            min_notice=spec.min_notice,
            horizon=HORIZON,
            daily_cap=spec.daily_cap,
            rules=[rule.as_rule() for rule in spec.rules],
        )
    return True


def demo_load() -> DemoSummary:
    """Loads the whole demo, keeping whatever already exists; returns what it did."""
    organisation, organisation_created = demo_organisation_get_or_create()
    regions = demo_regions_ensure(organisation=organisation)
    created = 0
    for spec in COUNSELLORS:
        created += demo_counsellor_ensure(organisation=organisation, regions=regions, spec=spec)
    open_slots = Slot.objects.filter(
        counsellor__organisation=organisation,
        counsellor__active=True,
        status=Slot.Status.OPEN,
        start__gte=timezone.now(),
    ).count()
    return DemoSummary(
        organisation_created=organisation_created,
        regions=len(regions),
        counsellors_created=created,
        counsellors_kept=len(COUNSELLORS) - created,
        open_slots=open_slots,
    )
