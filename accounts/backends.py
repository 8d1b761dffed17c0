"""The authentication backend: Django's, with the signed-in user's roles read in the same query.

Every page asks who the user is (the session's user id) and what they may do (manager
profile, supervisor, head of a unit: accounts.access). Django's ModelBackend reads the user
in one query and accounts.access read the roles in a second; this backend reads both at once.
"""

from django.contrib.auth.backends import ModelBackend

from accounts.access import remember_roles, users_with_roles


class RolesModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = users_with_roles().filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user, user)
        return user
