from django.urls import path

from api.widgets import views

urlpatterns = [
    path("public/availability", views.PublicAvailabilityView.as_view(), name="public-availability"),
]
