"""The Celery app. Its settings are the CELERY_* values in api/settings.py."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")

app = Celery("kollega")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
