from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_scoping import ScopedAdminMixin
from reminders import services
from reminders.models import CalendarFeed, Notification, ReminderPreference, StockEpisode


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "language", "created_at"]
    search_fields = ["subject", "dedupe_key", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "recipient",
        "dedupe_key",
        "subject",
        "body_text",
        "body_html",
        "language",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    actions = ["resend"]
    autocomplete_fields = ["recipient"]
    # Adding (superusers only: the roles are not granted "add") writes a one-off email.
    add_fields = ["kind", "recipient", "language", "subject", "body_text", "body_html"]

    def get_queryset(self, request):
        # The scoping rule plus the copies addressed to the supervisor themself.
        return Notification.objects.for_user(request.user)

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.send_by_hand(notification=obj)

    @admin.action(description=_("Resend the selected notifications"), permissions=["change"])
    def resend(self, request, queryset):
        count = services.resend(notifications=list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "birthdays", "stock_alert", "stock_digest", "weekly"]
    list_filter = [
        "language",
        "birthdays",
        "stock_alert",
        "stock_digest",
        "stock_escalation",
        "weekly",
    ]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    # Only superusers hold these permissions; everyone edits their own on the preferences page.
    autocomplete_fields = ["user"]


@admin.register(StockEpisode)
class StockEpisodeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["item_name", "branch", "state", "opened_on", "out_since", "closed_on"]
    list_filter = ["state", "opened_on", "closed_on"]
    search_fields = ["item_name", "branch__name", "branch__code"]
    list_select_related = ["branch__bank"]
    readonly_fields = [
        "branch_stock_id",
        "branch",
        "item_name",
        "state",
        "opened_on",
        "out_since",
        "closed_on",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Episodes are written by the stock signal; a superuser may add one to correct data.
        return [] if obj is None else self.readonly_fields


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar address. The token itself is never shown: it is a credential."""

    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        # Addresses are made by the owner on their calendar page, never typed in.
        return False
