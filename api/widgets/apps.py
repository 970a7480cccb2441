from django.apps import AppConfig


class WidgetsConfig(AppConfig):
    name = "api.widgets"
    label = "widgets"
