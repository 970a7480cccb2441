"""Admin access by role: staff see everything; a coordinator sees only their organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest


def is_service_staff(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.role == "staff")


def coordinator_organisation_id(request: HttpRequest) -> Any:
    user: Any = request.user
    if user.is_active and user.role == "coordinator":
        return user.organisation_id
    return None


class OrganisationScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Subclasses name how an object belongs to an organisation, in `organisation_path`."""

    organisation_path = "organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_service_staff(request):
            return queryset
        organisation_id = coordinator_organisation_id(request)
        if organisation_id is None:
            return queryset.none()
        return queryset.filter(**{self.organisation_path: organisation_id})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_service_staff(request) or coordinator_organisation_id(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_service_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_service_staff(request)
