"""Admin of the procurement data: value limits and per-Land notes (editors keep them current), and the
joint-buying declarations and groups (read-only records of what municipalities declared).

The limits are the table the procurement path guidance reads (marketplace/procurement/rules.py); a limit
whose validity ended is kept for the record and never applied.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.procurement.models import (
    JointBuyingGroup,
    JointBuyingInterest,
    LandProcurementInfo,
    ValueLimit,
)


@admin.register(ValueLimit)
class ValueLimitAdmin(admin.ModelAdmin):
    list_display = [
        "land",
        "procedure",
        "max_value_eur",
        "valid_from",
        "valid_until",
        "confirmed",
        "updated_at",
    ]
    list_filter = ["land", "procedure", "confirmed"]
    search_fields = ["legal_source", "note"]
    ordering = ["land", "procedure", "valid_from"]
    fieldsets = [
        (None, {"fields": ["land", "procedure", "max_value_eur", ("valid_from", "valid_until")]}),
        (_("Source"), {"fields": ["legal_source", "source_url", "confirmed", "note"]}),
    ]


@admin.register(LandProcurementInfo)
class LandProcurementInfoAdmin(admin.ModelAdmin):
    list_display = ["land", "uvgo_for_municipalities", "as_of", "confirmed_overall"]
    fields = ["land", "uvgo_for_municipalities", "main_source", "as_of", "time_limit", "confirmed_overall"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JointBuyingInterest)
class JointBuyingInterestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "solution", "municipality", "state", "email", "confirmed_at"]
    list_filter = ["state", ("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["solution", "municipality"]
    search_fields = ["solution__title", "municipality__name", "email"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "solution",
        "municipality",
        "state",
        "kreis_key",
        "email",
        "language",
        "confirmed_at",
    ]
    readonly_fields = fields


@admin.register(JointBuyingGroup)
class JointBuyingGroupAdmin(ReadOnlyAdmin):
    list_display = ["formed_at", "solution", "state"]
    list_filter = ["state"]
    list_select_related = ["solution"]
    fields = ["formed_at", "solution", "state"]
    readonly_fields = fields
