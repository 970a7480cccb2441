from django.urls import path

from api.counsellors import invitation_views, views

urlpatterns = [
    path("counsellors", views.CounsellorListView.as_view(), name="counsellors"),
    path("counsellors/<uuid:counsellor_id>", views.CounsellorDetailView.as_view(), name="counsellor"),
    path("regions", views.RegionListView.as_view(), name="regions"),
    path("me/excluded-counsellors", views.ExclusionListView.as_view(), name="exclusions"),
    path(
        "me/excluded-counsellors/<uuid:counsellor_id>", views.ExclusionDetailView.as_view(), name="exclusion"
    ),
    path("counsellor-invitations", invitation_views.InvitationListView.as_view(), name="invitations"),
    path(
        "counsellor-invitations/accept",
        invitation_views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path(
        "counsellor-invitations/<uuid:invitation_id>",
        invitation_views.InvitationDetailView.as_view(),
        name="invitation",
    ),
]
