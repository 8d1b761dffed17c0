from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_scoping import ReadOnlyAdminMixin, ScopedAdminMixin
from sales.feed import FeedFormatError
from sales.models import Customer, FeedFile, IdNumberView, Policy, Product
from sales.services import FeedError, delete_policies, import_policies


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "payment_years", "standard_factor", "on_sale_from"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class FeedUploadForm(forms.Form):
    file = forms.FileField(label=_("Feed file (CSV or xlsx)"))


@admin.register(Policy)
class PolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["number", "product", "branch", "premium", "signed_on", "status"]
    list_filter = ["status", "product"]
    search_fields = ["number", "customer__name"]
    date_hierarchy = "signed_on"
    list_select_related = ["product", "branch__bank"]
    raw_id_fields = ["branch", "manager", "credited_staff", "customer", "intake_form"]
    readonly_fields = ["standard_premium", "imported_at"]
    change_list_template = "admin/sales/policy/change_list.html"

    # Policies come from the feed; the admin reads them and uploads the feed.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting goes through the service: the monthly sales and premium in force follow.
    def delete_model(self, request, obj):
        delete_policies(policies=Policy.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        delete_policies(policies=queryset)

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="sales_policy_upload",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        if not request.user.has_perm("sales.add_feedfile"):
            return redirect(reverse("admin:sales_policy_changelist"))
        form = FeedUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                result = import_policies(source=form.cleaned_data["file"], user=request.user)
            except FeedError as error:
                errors = error.errors
                messages.error(request, gettext("Nothing was imported: fix the rows below."))
            except FeedFormatError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    gettext("%(rows)s rows: %(created)s new, %(updated)s updated.")
                    % {"rows": result.rows, "created": result.created, "updated": result.updated},
                )
                return redirect(reverse("admin:sales_policy_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "title": gettext("Upload the policy feed"),
        }
        return render(request, "admin/sales/policy/upload.html", context)


@admin.register(Customer)
class CustomerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["name", "masked_id_number", "masked_phone", "branch", "premium_in_force"]
    search_fields = ["name"]
    list_select_related = ["branch__bank"]
    fields = ["name", "branch", "premium_in_force", "next_contact_due"]
    readonly_fields = ["name", "branch", "premium_in_force"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return obj.masked_phone


@admin.register(IdNumberView)
class IdNumberViewAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "customer__branch__manager"
    list_display = ["customer", "viewed_by", "viewed_at"]
    list_select_related = ["customer", "viewed_by"]


@admin.register(FeedFile)
class FeedFileAdmin(admin.ModelAdmin):
    list_display = ["file_name", "outcome", "rows", "created", "updated", "processed_at"]
    list_filter = ["outcome"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
