from __future__ import annotations

from typing import Any

from rest_framework import serializers


class HealthOutputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["ok"])


class ReadinessOutputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["ready"])
    checks = serializers.DictField(child=serializers.ChoiceField(choices=["ok", "failing"]))


class MetaOutputSerializer(serializers.Serializer[Any]):
    api_version = serializers.CharField(help_text="The version of the API contract (openapi/kollega.yaml).")
    release = serializers.CharField(help_text="The server's release.")
    tz_database_version = serializers.CharField(help_text="The IANA time-zone database in use, e.g. 2026a.")
    server_time = serializers.DateTimeField()
