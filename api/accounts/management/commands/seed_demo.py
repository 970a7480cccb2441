"""Loads the demo data that `make run` shows; safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.counsellors.demo import ORGANISATION_SLUG, demo_load
from api.followups.shipped import demo_followups_ensure
from api.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create the demo organisation, its regions and counsellors with open slots; keeps what exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DJANGO_DEBUG off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo data belongs on a development server; pass --force to load it anyway.")
        summary = demo_load()
        demo_followups_ensure(organisation=Organisation.objects.get(slug=ORGANISATION_SLUG))
        organisation = "created" if summary.organisation_created else "kept"
        self.stdout.write(
            f"Demo {ORGANISATION_SLUG!r} {organisation}: {summary.regions} regions, "
            f"counsellors {summary.counsellors_created} created and {summary.counsellors_kept} kept, "
            f"{summary.open_slots} open slots."
        )
