from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "api.availability"
    label = "availability"
