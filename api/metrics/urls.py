from django.urls import path

from api.metrics.privacy_views import KeyPrivacyView
from api.metrics.views import METRIC_VIEWS

urlpatterns = [
    *(path(f"metrics/{name}", view.as_view(), name=f"metrics-{name}") for name, view in METRIC_VIEWS.items()),
    path(
        "organisations/<uuid:organisation_id>/api-keys/<uuid:key_id>/privacy",
        KeyPrivacyView.as_view(),
        name="api-key-privacy",
    ),
]
