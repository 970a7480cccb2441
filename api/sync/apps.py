from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "api.sync"
    label = "sync"
