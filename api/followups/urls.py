from django.urls import path

from api.followups import questionnaire_views, views

urlpatterns = [
    path("followups", views.FollowupListView.as_view(), name="followups"),
    path("followups/<uuid:followup_id>", views.FollowupDetailView.as_view(), name="followup"),
    path(
        "followups/<uuid:followup_id>/response",
        views.FollowupResponseView.as_view(),
        name="followup-response",
    ),
    path("followups/<uuid:followup_id>/fhir", views.FollowupFhirView.as_view(), name="followup-fhir"),
    path("me/followup-preferences", views.FollowupPreferenceView.as_view(), name="followup-preferences"),
    path("followup-schedule", questionnaire_views.FollowupScheduleView.as_view(), name="followup-schedule"),
    path("questionnaires", questionnaire_views.QuestionnaireListView.as_view(), name="questionnaires"),
    path(
        "questionnaires/<uuid:questionnaire_id>",
        questionnaire_views.QuestionnaireDetailView.as_view(),
        name="questionnaire",
    ),
    path(
        "questionnaires/<uuid:questionnaire_id>/stats",
        questionnaire_views.QuestionnaireStatsView.as_view(),
        name="questionnaire-stats",
    ),
]
