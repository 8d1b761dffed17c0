"""The scoping rule, applied to the Django admin (the supervisors' workspace)."""

from grading.access import scoped


class ScopedAdminMixin:
    """Limit an admin's changelist, change pages and actions to the user's scope.

    Set ``manager_path`` to the lookup from the model to its AccountManager. Superusers see
    everything; a supervisor sees their team; an object outside the scope is a 404 in the
    admin too, because every admin view fetches through get_queryset.
    """

    manager_path = "manager"

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, self.manager_path)
