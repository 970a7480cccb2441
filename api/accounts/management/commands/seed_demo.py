"""Loads the demo data that `make run` shows; safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create the demo organisation (and, as later parts arrive, its counsellors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DJANGO_DEBUG off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo data belongs on a development server; pass --force to load it anyway.")
        organisation, created = Organisation.objects.get_or_create(
            slug="demo",
            defaults={"name": "Demo Medical Association", "country": "NO", "time_zone": "Europe/Oslo"},
        )
        verb = "Created" if created else "Kept"
        self.stdout.write(f"{verb} organisation {organisation.slug!r}.")
