from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "api.messaging"
    label = "messaging"
