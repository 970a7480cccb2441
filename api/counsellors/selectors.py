"""Reads on counsellors: who a viewer may see, and who may manage a counsellor."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from api.accounts.models import Role, User
from api.counsellors.models import CounsellorLanguage, CounsellorProfile, ExcludedCounsellor, Region


def excluded_by(viewer: User, *, counsellor_field: str = "pk") -> Exists:
    """True for rows whose counsellor the viewer has excluded; used as ~excluded_by(...)."""
    return Exists(
        ExcludedCounsellor.objects.filter(doctor_id=viewer.pk, counsellor_id=OuterRef(counsellor_field))
    )


def _summary_prefetches() -> tuple[Prefetch[Any], Prefetch[Any]]:
    return (
        Prefetch("languages", queryset=CounsellorLanguage.objects.only("counsellor_id", "code")),
        Prefetch("regions", queryset=Region.objects.only("id", "code", "name")),
    )


def with_summary_relations(queryset: QuerySet[CounsellorProfile]) -> QuerySet[CounsellorProfile]:
    """What a counsellor summary shows, in two extra queries whatever the number of counsellors."""
    return queryset.prefetch_related(*_summary_prefetches())


def attach_counsellor_summaries(rows: Sequence[Any]) -> None:
    """Gives rows that carry a `counsellor` (selected with them) what its summary shows.

    Two queries, done on one instance per distinct counsellor, which every row then shares: a page
    of 25 slots of 5 counsellors loads languages and regions for 5 objects, not 25.
    """
    unique: dict[Any, CounsellorProfile] = {}
    for row in rows:
        row.counsellor = unique.setdefault(row.counsellor_id, row.counsellor)
    prefetch_related_objects(list(unique.values()), *_summary_prefetches())


def summary_lists_attach(rows: Sequence[dict[str, Any]]) -> None:
    """Adds `languages` (codes, in order) and `regions` ({id, code, name}, by name) to rows of slots.

    Two queries for the whole page, whatever its length; on PostgreSQL the availability page reads
    the same in its own statement (`api.availability.slot_page`).
    """
    counsellor_ids = {row["counsellor_id"] for row in rows}
    languages: defaultdict[Any, list[str]] = defaultdict(list)
    codes = CounsellorLanguage.objects.filter(counsellor_id__in=counsellor_ids).order_by("code")
    for counsellor_id, code in codes.values_list("counsellor_id", "code"):
        languages[counsellor_id].append(code)
    regions: defaultdict[Any, list[dict[str, str]]] = defaultdict(list)
    links = CounsellorProfile.regions.through.objects.filter(counsellorprofile_id__in=counsellor_ids)
    for counsellor_id, region_id, code, name in links.order_by("region__name", "region_id").values_list(
        "counsellorprofile_id", "region_id", "region__code", "region__name"
    ):
        regions[counsellor_id].append({"id": str(region_id), "code": code, "name": name})
    for row in rows:
        row["languages"] = languages[row["counsellor_id"]]
        row["regions"] = regions[row["counsellor_id"]]


def counsellors_visible(*, viewer: User) -> QuerySet[CounsellorProfile]:
    """Active counsellors, less those the viewer excluded."""
    return CounsellorProfile.objects.filter(active=True).exclude(excluded_by(viewer))


def counsellor_list(
    *,
    viewer: User,
    region: uuid.UUID | None = None,
    language: str | None = None,
    modality: str | None = None,
) -> QuerySet[CounsellorProfile]:
    queryset = counsellors_visible(viewer=viewer)
    if region is not None:
        queryset = queryset.filter(regions=region)
    if language is not None:
        queryset = queryset.filter(
            Exists(CounsellorLanguage.objects.filter(counsellor=OuterRef("pk"), code=language))
        )
    if modality is not None:
        queryset = queryset.filter(**{modality: True})
    return with_summary_relations(queryset)


def counsellors_managed_by(user: User) -> QuerySet[CounsellorProfile]:
    """The counsellors whose profile and schedule `user` may change: their own, or their organisation's."""
    if user.role == Role.STAFF:
        return CounsellorProfile.objects.all()
    if user.role == Role.COORDINATOR and user.organisation_id is not None:
        return CounsellorProfile.objects.filter(organisation_id=user.organisation_id)
    return CounsellorProfile.objects.filter(user=user)


def counsellor_detail(*, viewer: User, counsellor_id: uuid.UUID) -> CounsellorProfile:
    """A counsellor the viewer may see (active and not excluded) or manages; else 404."""
    managed = counsellors_managed_by(viewer).filter(pk=counsellor_id).values("pk")
    queryset = CounsellorProfile.objects.filter(
        Q(pk__in=counsellors_visible(viewer=viewer).values("pk")) | Q(pk__in=managed), pk=counsellor_id
    )
    found = with_summary_relations(queryset).first()
    if found is None:
        raise Http404
    return found


def counsellor_for_manager(*, user: User, counsellor_id: uuid.UUID) -> CounsellorProfile:
    """The counsellor `user` manages, or 404: another's schedule does not exist for them."""
    found = counsellors_managed_by(user).filter(pk=counsellor_id).first()
    if found is None:
        raise Http404
    return found


def exclusions_of(*, doctor: User) -> QuerySet[ExcludedCounsellor]:
    return (
        ExcludedCounsellor.objects.filter(doctor=doctor)
        .select_related("counsellor")
        .order_by("-created_at", "-id")
    )


def regions_list(*, organisation_id: uuid.UUID | None = None) -> QuerySet[Region]:
    queryset = Region.objects.select_related("organisation").order_by("organisation__name", "name")
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    return queryset
