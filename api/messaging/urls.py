from django.urls import path

from api.messaging import views

urlpatterns = [
    path("devices", views.DeviceListView.as_view(), name="devices"),
    path("devices/<uuid:device_id>", views.DeviceDetailView.as_view(), name="device"),
    path("threads", views.ThreadListView.as_view(), name="threads"),
    path("threads/<uuid:thread_id>", views.ThreadDetailView.as_view(), name="thread"),
    path("threads/<uuid:thread_id>/devices", views.ThreadDevicesView.as_view(), name="thread-devices"),
    path("threads/<uuid:thread_id>/messages", views.MessageListView.as_view(), name="thread-messages"),
    path("threads/<uuid:thread_id>/read", views.ThreadReadView.as_view(), name="thread-read"),
]
