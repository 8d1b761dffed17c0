"""The authentication backend: Django's, with the signed-in user's roles read in the same query.

Every page asks who the user is (the session's user id) and what they may do (manager
profile, supervisor, head of a unit: accounts.access). Django's ModelBackend reads the user
in one query and accounts.access read the roles in a second; this backend reads both at once,
and on a page takes them from the session's own read (accounts.sessions) when it has them.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.access import remember_roles, users_with_roles
from accounts.sessions import user_read_with_session
from core.prepared import fetch_prepared


def _user_with_roles(v):
    return [users_with_roles().filter(pk=v.user_id)]


class RolesModelBackend(ModelBackend):
    def get_user(self, user_id):
        # Every request asks: the read is compiled once per process (core.prepared), with the
        # id as the lookup would have it (a session keeps it as text).
        user_id = get_user_model()._meta.pk.to_python(user_id)
        user = user_read_with_session(user_id)
        if user is None:
            (found,) = fetch_prepared("accounts.user_with_roles", _user_with_roles, user_id=user_id)
            user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user, user)
        return user
