"""The scoping rule, applied to the Django admin (the supervisors' workspace)."""

import logging

from django.contrib.admin.utils import unquote
from django.http import Http404

logger = logging.getLogger("branchdesk.security")


class ScopedAdminMixin:
    """Limit an admin's changelist, change pages and actions to the user's scope.

    Set ``manager_path`` to the lookup from the model to its AccountManager. Superusers see
    everything; a supervisor sees their team; an object outside the scope is a 404 in the
    admin too, because every admin view fetches through get_queryset.

    The rule itself is the model's queryset's ``for_user`` (accounts' ScopedQuerySet): this
    leaf module only applies it, so it names no app.
    """

    manager_path = "manager"

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user, path=self.manager_path)

    # django-simple-history's history pages read the historical rows directly: the list
    # falls back to the last historical copy when get_queryset finds nothing, and a past
    # version's page (which can also revert it) never asks get_queryset at all. Without
    # these guards a supervisor could read, and revert, another team's records.
    def _in_scope_or_404(self, request, object_id):
        if request.user.is_superuser:
            return  # keeps the history of deleted records reachable for a superuser
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
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
