from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "api.metrics"
    label = "metrics"

    def ready(self) -> None:
        # Registers the spec's secret-key scheme once the app registry is ready (see accounts).
        from api.metrics import schema  # noqa: F401, PLC0415
