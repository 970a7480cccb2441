from django.contrib import admin

from api.core.admin_scoping import OrganisationScopedAdmin
from api.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "id"
    list_display = ["name", "slug", "country", "time_zone"]
    search_fields = ["name", "slug"]
    readonly_fields = ["id", "created_at", "updated_at"]
