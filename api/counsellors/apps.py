from django.apps import AppConfig


class CounsellorsConfig(AppConfig):
    name = "api.counsellors"
    label = "counsellors"
