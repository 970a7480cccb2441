from django.urls import path

from api.counsellors import views

urlpatterns = [
    path("counsellors", views.CounsellorListView.as_view(), name="counsellors"),
    path("counsellors/<uuid:counsellor_id>", views.CounsellorDetailView.as_view(), name="counsellor"),
    path("regions", views.RegionListView.as_view(), name="regions"),
    path("me/excluded-counsellors", views.ExclusionListView.as_view(), name="exclusions"),
    path(
        "me/excluded-counsellors/<uuid:counsellor_id>", views.ExclusionDetailView.as_view(), name="exclusion"
    ),
]
