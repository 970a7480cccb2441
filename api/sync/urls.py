from django.urls import path

from api.sync import views

urlpatterns = [
    path("sync/pull", views.SyncPullView.as_view(), name="sync-pull"),
    path("sync/push", views.SyncPushView.as_view(), name="sync-push"),
]
