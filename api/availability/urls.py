from django.urls import path

from api.availability import views

urlpatterns = [
    path("availability", views.AvailabilityView.as_view(), name="availability"),
    path("counsellors/<uuid:counsellor_id>/schedule", views.ScheduleView.as_view(), name="schedule"),
    path("counsellors/<uuid:counsellor_id>/time-off", views.TimeOffListView.as_view(), name="time-off-list"),
    path(
        "counsellors/<uuid:counsellor_id>/time-off/<uuid:time_off_id>",
        views.TimeOffDetailView.as_view(),
        name="time-off",
    ),
]
