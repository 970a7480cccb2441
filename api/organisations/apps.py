from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "api.organisations"
    label = "organisations"
