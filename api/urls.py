from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.core import handlers
from api.core import views as core
from api.widgets.views import widget_script_view

v1: list[URLPattern | URLResolver] = [
    path("", include("api.accounts.urls")),
    path("", include("api.counsellors.urls")),
    path("", include("api.availability.urls")),
    path("", include("api.bookings.urls")),
    path("", include("api.messaging.urls")),
    path("", include("api.organisations.urls")),
    path("", include("api.widgets.urls")),
    path("", include("api.followups.urls")),
    path("", include("api.metrics.urls")),
    path("", include("api.sync.urls")),
    path("meta", core.MetaView.as_view(), name="meta"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("docs", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("docs/redoc", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("widget/v1.js", widget_script_view, name="widget-script"),
    path("healthz", core.HealthView.as_view(), name="healthz"),
    path("readyz", core.ReadinessView.as_view(), name="readyz"),
    path("problems/<slug:code>", core.problem_type, name="problem-type"),
    path("admin/", admin.site.urls),
    # Last: any other path is a problem+json 404, with DEBUG on too (Django's would be HTML).
    re_path(r"^", handlers.page_not_found),
]

handler400 = "api.core.handlers.bad_request"
handler403 = "api.core.handlers.permission_denied"
handler404 = "api.core.handlers.page_not_found"
handler500 = "api.core.handlers.server_error"
