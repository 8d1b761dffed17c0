"""The queryset every owned model uses: the one scoping rule as a queryset method."""

from django.db import models

from accounts.access import get_for_user, scoped


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to the owning AccountManager."""

    manager_path = "manager"

    def for_user(self, user, *, path=None):
        """What ``user`` may see (accounts.access.visible_to); ``path`` overrides the model's."""
        return scoped(self, user, self.manager_path if path is None else path)

    def get_for_user(self, user, **lookup):
        """One object ``user`` may see, or 404."""
        return get_for_user(self, user, self.manager_path, **lookup)
