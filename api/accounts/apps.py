from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "api.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Imported for its side effect, once the app registry is ready: it registers the spec's
        # auth scheme, and importing it at module level would load DRF before settings.
        from api.accounts import schema  # noqa: F401, PLC0415
