"""The scoping rule, applied to the Django admin (the supervisors' workspace).

The rule itself lives with the models: a scoped model's queryset has ``for_user(user)``
(ScopedQuerySet). This module names no app; it asks each model's queryset, so the same rule
scopes what the admin shows and what it accepts.
"""

import functools
import logging

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404

logger = logging.getLogger("branchdesk.security")


def scoped_for(queryset, user):
    """``queryset`` cut down to what ``user`` may see, or None when its model is not scoped."""
    for_user = getattr(queryset, "for_user", None)
    return None if for_user is None else for_user(user)


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that names the chosen object only when it is in the user's scope.

    Django's widget prints the object's name next to any typed id (``?branch=<id>`` on an add
    form, or a refused post shown again), which read another team's names out of the admin.
    """

    def __init__(self, rel, admin_site, queryset, attrs=None, using=None):
        super().__init__(rel, admin_site, attrs=attrs, using=using)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            visible = self.queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        return super().label_and_url_for_value(value) if visible else ("", "")


class ScopedFieldsMixin:
    """Every form field pointing to a scoped object offers and accepts only objects in the
    user's scope: drop-downs, raw-id boxes, autocomplete boxes and many-to-many fields alike.

    A typed or posted id outside the scope is "not one of the available choices", as if the
    object did not exist. Works on a ModelAdmin and on an inline.
    """

    def _scope_relation(self, db_field, request, kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using"))
        queryset = scoped_for(queryset.all(), request.user)
        if queryset is None:
            return  # an unscoped catalogue (levels, banks, stock items…)
        kwargs["queryset"] = queryset
        raw_id = db_field.name in self.raw_id_fields
        if (
            raw_id
            and not db_field.many_to_many
            and db_field.name not in self.get_autocomplete_fields(request)
        ):
            kwargs.setdefault(
                "widget",
                ScopedRawIdWidget(
                    db_field.remote_field, self.admin_site, queryset, using=kwargs.get("using")
                ),
            )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_relation(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_relation(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@functools.cache
def _scoped_inline_class(inline_class):
    return type(inline_class.__name__, (ScopedFieldsMixin, inline_class), {})


class ScopedAdminMixin(ScopedFieldsMixin):
    """Limit an admin's changelist, change pages, actions and form fields to the user's scope.

    The model's queryset must offer ``for_user(user)``. Superusers see everything; a
    supervisor sees their team; an object outside the scope is a 404 in the admin too (the
    admin's "does not exist"), because every admin view fetches through get_queryset. Inlines
    get their fields scoped too, and a save that would take the record out of the user's scope
    (to another team) is refused.
    """

    def get_queryset(self, request):
        queryset = scoped_for(super().get_queryset(request), request.user)
        if queryset is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__}: {self.model._meta.label}'s queryset has no for_user()"
            )
        return queryset

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not isinstance(inline, ScopedFieldsMixin):
                inline.__class__ = _scoped_inline_class(type(inline))
        return inlines

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.refuse_if_out_of_scope(request, obj)

    def refuse_if_out_of_scope(self, request, obj):
        """403 when a save took ``obj`` out of the user's scope.

        Scoped form fields keep every relation inside the scope; this catches what they
        cannot see (a manager's supervisor, which decides the team). The admin saves inside
        a transaction, so the refusal undoes the save. An admin that saves through a
        service instead of ``super().save_model`` calls this after the service.
        """
        if obj.pk is not None and not self.get_queryset(request).filter(pk=obj.pk).exists():
            logger.info(
                "refused moving out of scope user_id=%s model=%s",
                request.user.pk,
                self.model._meta.label,
            )
            raise PermissionDenied

    # django-simple-history's history pages read the historical rows directly: the list
    # falls back to the last historical copy when get_queryset finds nothing, and a past
    # version's page (which can also revert it) never asks get_queryset at all. Without
    # these guards a supervisor could read, and revert, another team's records.
    def _in_scope_or_404(self, request, object_id):
        if request.user.is_superuser:
            return  # keeps the history of deleted records reachable for a superuser
        # get_object answers None for an id out of scope and for one that is no id at all
        # ("x" answered 500 before).
        if self.get_object(request, unquote(object_id)) is None:
            logger.info("refused user_id=%s model=%s", request.user.pk, self.model._meta.label)
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


def _show_refusal(form, refusal):
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(refusal, "error_dict"):
        for field, errors in refusal.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal)


class ServiceWriteMixin:
    """The admin writes through the owning app's services, and shows their refusals.

    ``save_model`` / ``save_related`` call the service. A ValidationError it raises undoes
    the save (the admin saves inside a transaction) and the same form comes back with the
    service's message on its field, or above the form: the admin refuses what the service
    refuses, never with a 500.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            if request.method != "POST" or hasattr(request, "_service_refusal"):
                raise
            # Again, with the refusal shown on the form (its clean adds it: nothing is saved).
            request._service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                _show_refusal(self, refusal)
                return cleaned

        return RefusedForm


class ReadOnlyAdminMixin:
    """A record written only by its app's services (a log, a ledger of views, sync receipts):
    the admin shows it and never adds, changes or deletes one."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
