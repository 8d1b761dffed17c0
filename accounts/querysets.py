"""The queryset every owned model uses: the one scoping rule as a queryset method."""

from django.db import models

from accounts.access import get_for_user, visible_to


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to the owning AccountManager.

    A model whose rows reach their manager some other way (a photo of an off-site record, a
    record synced by a user) overrides :meth:`visibility`; ``for_user`` and ``get_for_user``
    then follow it.
    """

    manager_path = "manager"

    def visibility(self, user):
        """The condition on this model's rows that ``user`` may see."""
        return visible_to(user, self.manager_path)

    def for_user(self, user, *, path=None):
        """What ``user`` may see (accounts.access.visible_to); ``path`` overrides the model's."""
        if path is not None:
            return self.filter(visible_to(user, path))
        return self.filter(self.visibility(user))

    def get_for_user(self, user, **lookup):
        """One object ``user`` may see, or 404."""
        return get_for_user(self.filter(self.visibility(user)), user, None, **lookup)
