from django.urls import path

from api.organisations import views

urlpatterns = [
    path("organisations/<uuid:organisation_id>", views.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<uuid:organisation_id>/api-keys", views.ApiKeyListView.as_view(), name="api-keys"),
    path(
        "organisations/<uuid:organisation_id>/api-keys/<uuid:key_id>",
        views.ApiKeyDetailView.as_view(),
        name="api-key",
    ),
]
