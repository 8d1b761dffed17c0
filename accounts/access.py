"""The single scoping rule: what a user may see.

- a superuser sees everything;
- an account manager sees what belongs to their own profile;
- a supervisor (a team's head) sees what belongs to the managers of their team
  (AccountManager.supervisor, which accounts.services keeps equal to the team's head);
- the head of a city branch sees every team below it, the head of the province branch every
  team in the province (AccountManager.team in the unit's subtree, whose team ids are read once
  per request and cached on the user);
- anyone else sees nothing.

Every app scopes through :func:`visible_to`, giving the lookup path from its model to the
owning AccountManager (``"manager"`` for a Branch, ``"branch__manager"`` for a staff member,
``""`` for AccountManager itself). Objects outside the scope answer 404, never 403, so their
existence is not revealed.
"""

import functools
import logging

from django.db.models import Q
from django.http import Http404

logger = logging.getLogger("branchdesk.security")

SUPERVISOR_GROUP = "主管 Supervisor"
MANAGER_GROUP = "客户经理 Account manager"


def users_with_roles():
    """Users annotated with what :func:`_remember_roles` needs: one query answers "who is
    this" and "what may they do" (the authentication backend loads the signed-in user so)."""
    return _users_with_roles().all()


@functools.cache
def _users_with_roles():
    # Built once per process: every request loads its user through it, and assembling the four
    # subqueries cost more CPU than running the query (a third of a small page's overhead).
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from accounts.models import AccountManager, OrgUnit

    User = get_user_model()
    memberships = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=SUPERVISOR_GROUP
    )
    return User.objects.annotate(
        has_team=Exists(AccountManager.objects.filter(supervisor_id=OuterRef("pk"))),
        in_supervisor_group=Exists(memberships),
        heads_unit=Exists(OrgUnit.objects.filter(head_id=OuterRef("pk"))),
        heads_above_team=Exists(
            OrgUnit.objects.filter(head_id=OuterRef("pk")).exclude(kind=OrgUnit.Kind.TEAM)
        ),
    ).select_related("account_manager")


def remember_roles(user, row):
    """Fill the per-request role caches of ``user`` from a :func:`users_with_roles` row."""
    from accounts.models import AccountManager

    profile = None
    if row is not None:
        try:
            profile = row.account_manager
        except AccountManager.DoesNotExist:
            profile = None
    user._manager_profile_cache = profile
    user._is_supervisor_cache = row is not None and (
        row.has_team or row.in_supervisor_group or row.heads_unit
    )
    user._heads_unit_cache = row is not None and row.heads_unit
    user._heads_above_team_cache = row is not None and row.heads_above_team


def _load_roles(user):
    """Fill the per-request caches below with one query: every page asks these questions
    (the menu and the scoping), and each was a query of its own. The signed-in user of a
    request already has them (accounts.backends loads the user with its roles)."""
    remember_roles(user, users_with_roles().filter(pk=user.pk).first())


def heads_unit(user):
    """Whether the user heads a unit of the organisation (team, city or province)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_heads_unit_cache"):
        _load_roles(user)
    return user._heads_unit_cache


def heads_above_team(user):
    """Whether the user heads a city or the province (a unit above a team)."""
    return heads_unit(user) and user._heads_above_team_cache


def _headed_above(user):
    """Units the user heads whose path is a prefix of the outer query's unit's path."""
    from django.db.models import CharField, ExpressionWrapper, F, OuterRef

    from accounts.models import OrgUnit

    return (
        OrgUnit.objects.filter(head_id=user.pk)
        .annotate(outer_path=ExpressionWrapper(OuterRef("path"), output_field=CharField()))
        .filter(outer_path__startswith=F("path"))
    )


def unit_team_ids(user):
    """Ids of every team in the subtrees of the units the user heads (a frozenset).

    One query, and only for heads of a unit; cached on the user for the request.
    """
    if not heads_unit(user):
        return frozenset()
    if not hasattr(user, "_unit_team_ids_cache"):
        from django.db.models import Exists

        from accounts.models import OrgUnit

        user._unit_team_ids_cache = frozenset(
            OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM)
            .filter(Exists(_headed_above(user)))
            .values_list("pk", flat=True)
        )
    return user._unit_team_ids_cache


def visible_units(user):
    """The organisation units the user may open: the subtrees of the units they head
    (a superuser: every unit). A queryset; a unit outside it answers 404."""
    from django.db.models import Exists

    from accounts.models import OrgUnit

    units = OrgUnit.objects.all()
    if not user.is_authenticated:
        return units.none()
    if user.is_superuser:
        return units
    if not heads_unit(user):
        return units.none()
    return units.filter(Exists(_headed_above(user)))


def manager_profile(user):
    """The user's AccountManager, or None. Cached on the user for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_manager_profile_cache"):
        _load_roles(user)
    return user._manager_profile_cache


def is_supervisor(user):
    """A supervisor is someone with a team, or a member of the Supervisor group.

    Cached on the user for the request, together with the manager profile (one query).
    """
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_supervisor_cache"):
        _load_roles(user)
    return user._is_supervisor_cache


def visible_to(user, path):
    """A Q object selecting rows whose owning AccountManager (at ``path``) the user may see."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    prefix = f"{path}__" if path else ""
    own_id = f"{path}_id" if path else "pk"
    profile = manager_profile(user)
    own = Q(**{own_id: profile.pk}) if profile is not None else None
    if own is not None and not is_supervisor(user):
        # A manager without a team: no OR with a join to the owner's supervisor, so the
        # lookup stays on the indexed owner column (a province's 5,000 branches were scanned).
        return own
    # The team's managers as a list of ids (core.lookups.AnyOf): the owner column's index
    # finds their rows, where a join to the managers made PostgreSQL scan the whole table.
    condition = (
        Q(**{f"{own_id}__any_of": _team_managers(user.pk)}) if path else Q(supervisor_id=user.pk)
    )
    if user._heads_above_team_cache:
        # A city or province head: every team below. Team heads are already covered by the
        # supervisor column (kept equal to the team's head), so their lookup stays as it was.
        condition |= Q(**{f"{prefix}team_id__in": sorted(unit_team_ids(user))})
    if own is not None:
        condition |= own
    return condition


def _team_managers(supervisor):
    from accounts.models import AccountManager

    return AccountManager.objects.filter(supervisor_id=supervisor).order_by().values("pk")


def scoped(queryset, user, path):
    """The queryset cut down to what the user may see."""
    return queryset.filter(visible_to(user, path))


def get_for_user(queryset, user, path, **lookup):
    """Fetch one object the user may see, or raise 404 (healthchecks' _get_check_for_user).
    ``path`` None: the queryset is scoped already."""
    try:
        if path is not None:
            queryset = scoped(queryset, user, path)
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        refuse(user, queryset.model)


def refuse(user, model):
    """Answer 404 for an object of ``model`` the user may not see (or that does not exist)."""
    log_refusal(user, model)
    raise Http404 from None


def log_refusal(user, model):
    """Log that ``user`` asked for an object of ``model`` they may not see (what :func:`refuse`
    logs, for a refusal that is not a 404: a record synced from a phone)."""
    # Logged with ids only: enough to spot somebody walking other people's records.
    logger.info("refused user_id=%s model=%s", user.pk, model._meta.label)


def sees_team(user):
    """A superuser or a supervisor: those who get the team pages (dashboard, full phones)."""
    return user.is_authenticated and (user.is_superuser or is_supervisor(user))


def own_profile_or_404(user):
    """The signed-in user's own AccountManager; 404 for users who are not account managers.

    Pages that record the user's own work (checklist, attendance, "my level") need one.
    """
    profile = manager_profile(user)
    if profile is None:
        raise Http404
    return profile


def acting_manager(user, owner):
    """Who a record is made in the name of: the user when they are a manager, else ``owner``.

    A supervisor recording at a team branch acts for the branch's own manager.
    """
    return manager_profile(user) or owner


# --- A stand-in of the user for reads prepared once per process (core.prepared) -------------


class _Profile:
    """The viewer's AccountManager as the scoping rule reads it: its id."""

    def __init__(self, pk):
        self.pk = self.id = pk


class Viewer:
    """The signed-in user as this module reads them to scope a read: their id, their
    profile's id (either may be a core.prepared placeholder) and their roles, the caches
    filled per request. For the roles whose scope is those ids alone (not a city or province
    head, whose scope is a list of teams)."""

    is_authenticated = True
    is_active = True

    def __init__(self, pk, profile_pk, *, superuser, supervisor):
        self.pk = self.id = pk
        self.is_superuser = superuser
        self._manager_profile_cache = None if profile_pk is None else _Profile(profile_pk)
        self._is_supervisor_cache = supervisor
        self._heads_unit_cache = False
        self._heads_above_team_cache = False


def role_shape(user):
    """What shapes a scoped read besides the user's ids: (superuser, supervisor, has a
    manager profile), or None for a head of a city or province, whose scope is a list of
    teams (their reads are made the ordinary way)."""
    if heads_above_team(user) and not user.is_superuser:
        return None
    return (user.is_superuser, is_supervisor(user), manager_profile(user) is not None)


def viewer_of(shape, v):
    """The :class:`Viewer` of ``role_shape``'s ``shape`` on a read's values ``v``: ``v.user``
    and, if the shape has a profile, ``v.profile`` (``role_values`` gives both)."""
    superuser, supervisor, has_profile = shape
    return Viewer(
        v.user, v.profile if has_profile else None, superuser=superuser, supervisor=supervisor
    )


def role_values(user, shape):
    """The values ``viewer_of`` reads for ``user``."""
    values = {"user": user.pk}
    if shape[2]:
        values["profile"] = manager_profile(user).pk
    return values
