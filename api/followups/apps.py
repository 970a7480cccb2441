from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "api.followups"
    label = "followups"
