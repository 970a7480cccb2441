"""Stores the shipped instruments, WHO-5 and the service feedback, as version 1 of each.

A data migration rather than the demo seed: every installation needs them, production included,
and their ids must be the same whether or not demo data is loaded. instruments.py holds version 1
and only ever version 1; a later change to a shipped instrument ships as a new migration that adds
version 2 with its text inline, so that responses to version 1 keep their wording.
"""

from django.db import migrations

from api.followups.instruments import SHIPPED
from api.followups.shipped import shipped_instruments_store


def add_shipped(apps, schema_editor):
    shipped_instruments_store(
        apps.get_model("followups", "Questionnaire"), apps.get_model("followups", "QuestionnaireVersion")
    )


def remove_shipped(apps, schema_editor):
    Questionnaire = apps.get_model("followups", "Questionnaire")
    Questionnaire.objects.filter(organisation=None, slug__in=[i["slug"] for i in SHIPPED]).delete()


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]

    operations = [migrations.RunPython(add_shipped, remove_shipped)]
