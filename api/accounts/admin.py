from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from api.accounts.models import Role, User
from api.core.admin_scoping import OrganisationScopedAdmin, is_service_staff


@admin.register(User)
class UserAdmin(OrganisationScopedAdmin):
    """Coordinators see their organisation's counsellors and coordinators; never a doctor."""

    list_display = ["alias", "email", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["alias", "email"]
    ordering = ["alias"]
    fields = ["id", "email", "alias", "role", "organisation", "language", "is_active", "date_joined"]
    readonly_fields = ["id", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_service_staff(request):
            return queryset
        return queryset.filter(role__in=[Role.COUNSELLOR, Role.COORDINATOR])

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if is_service_staff(request):
            return self.readonly_fields
        return ["id", "email", "role", "organisation", "date_joined"]
