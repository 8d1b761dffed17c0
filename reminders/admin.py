from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_scoping import ScopedAdminMixin
from reminders import channels, crypto, services
from reminders.models import (
    DEFAULT_WEBHOOK_URLS,
    CalendarFeed,
    Channel,
    DepartmentContact,
    Notification,
    ReminderPreference,
    StockEpisode,
)


def masked_credential(encrypted, env_name):
    """What the admin shows of a token or secret: the variable's name, or a masked value."""
    if env_name:
        return f"${env_name}"
    try:
        return crypto.mask(crypto.decrypt(encrypted))
    except crypto.SecretUnreadable:
        return "????"


class ChannelForm(forms.ModelForm):
    """Token and secret are typed in, never shown back: an empty field keeps what is stored."""

    url = forms.URLField(
        label=_("webhook address"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty for the robot's usual address. Without the key or token."),
    )
    token = forms.CharField(
        label=_("token"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "WeCom: the robot's key (key=… in its address). DingTalk: the access token "
            "(access_token=…). Leave empty to keep the stored one."
        ),
    )
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "DingTalk's signing secret (starts with SEC). Leave empty to keep the stored one."
        ),
    )

    class Meta:
        model = Channel
        fields = ["name", "kind", "url", "user", "team", "token_env", "secret_env", "is_active"]

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("url") or DEFAULT_WEBHOOK_URLS.get(cleaned.get("kind"), "")
        try:
            channels.check_url(url)
        except ValidationError as exc:
            self.add_error("url", exc)
        stored = self.instance.token_encrypted
        if not (cleaned.get("token") or stored or cleaned.get("token_env")):
            self.add_error(
                "token", _("Give the robot's key or token, or the variable that holds it.")
            )
        return cleaned


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Group robots. Only superusers hold these permissions: a channel's token is a credential."""

    form = ChannelForm
    list_display = ["name", "kind", "user", "team", "token_shown", "secret_shown", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "user__username", "team__name"]
    list_select_related = ["user", "team"]
    autocomplete_fields = ["user"]
    readonly_fields = ["token_shown", "secret_shown"]

    @admin.display(description=_("token"))
    def token_shown(self, obj):
        return masked_credential(obj.token_encrypted, obj.token_env)

    @admin.display(description=_("signing secret"))
    def secret_shown(self, obj):
        return masked_credential(obj.secret_encrypted, obj.secret_env)

    def save_model(self, request, obj, form, change):
        services.save_channel(
            channel=obj,
            token=form.cleaned_data.get("token"),
            secret=form.cleaned_data.get("secret"),
        )


@admin.register(DepartmentContact)
class DepartmentContactAdmin(admin.ModelAdmin):
    """Where each department (契约, 客服, 理赔) hears of the cases handed over to it."""

    list_display = ["department", "email", "channel", "language"]
    list_filter = ["department", "language"]
    search_fields = ["email", "channel__name"]
    list_select_related = ["channel"]


class NotificationAddForm(forms.ModelForm):
    """A one-off email written in the admin goes to a user with an address."""

    def clean(self):
        cleaned = super().clean()
        recipient = cleaned.get("recipient")
        if "recipient" in self.fields and (recipient is None or not recipient.email):
            self.add_error("recipient", _("Choose a user with an email address."))
        return cleaned


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "kind",
        "recipient",
        "address",
        "channel",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "channel__kind", "language", "created_at"]
    search_fields = [
        "subject",
        "dedupe_key",
        "recipient__username",
        "recipient__email",
        "address",
    ]
    list_select_related = ["recipient", "channel"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "recipient",
        "address",
        "channel",
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

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = NotificationAddForm
        return super().get_form(request, obj, **kwargs)

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
