"""Writes to the organisation tree: units and the managers' moves between teams."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts.models import AccountManager, OrgUnit, TeamMembership

# Which kind of unit may sit directly under which.
PARENT_KIND = {
    OrgUnit.Kind.PROVINCE: None,
    OrgUnit.Kind.CITY: OrgUnit.Kind.PROVINCE,
    OrgUnit.Kind.TEAM: OrgUnit.Kind.CITY,
}


def check_unit(*, unit: OrgUnit) -> None:
    """Rule: a province is a root; a city hangs under a province and a team under a city (a
    city or team may stand alone, as the teams made from the old supervisors do); a unit is
    never put under itself or its own subtree."""
    parent = unit.parent
    if parent is None:
        return
    if PARENT_KIND[unit.kind] != parent.kind:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot sit under a %(parent)s.")
                % {"kind": unit.get_kind_display(), "parent": parent.get_kind_display()}
            }
        )
    if unit.pk and unit.path and parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot sit under itself.")})


@transaction.atomic
def save_unit(*, unit: OrgUnit) -> OrgUnit:
    """Save a unit and keep the tree's paths and the team heads' supervision in step.

    Rules: the path is the parent's path plus the unit's own id, so a subtree is one prefix;
    moving a unit moves its subtree's paths with it; a team's head is the ``supervisor`` of
    every current member (the field the team pages and the scoping rule read).
    """
    check_unit(unit=unit)
    old_path = unit.path
    unit.save()
    new_path = f"{unit.parent.path if unit.parent else ''}{unit.pk:06d}."
    if new_path != old_path:
        OrgUnit.objects.filter(pk=unit.pk).update(path=new_path)
        if old_path:
            OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
        unit.path = new_path
    if unit.kind == OrgUnit.Kind.TEAM:
        AccountManager.objects.filter(team=unit).update(supervisor=unit.head)
    return unit


def check_move(
    *, manager: AccountManager, team: OrgUnit | None, on: datetime.date
) -> TeamMembership | None:
    """Rules of a move: into a team (not a city or province), and not before the current
    membership started. Returns the current open membership, if any."""
    if team is not None and team.kind != OrgUnit.Kind.TEAM:
        raise ValidationError({"team": _("A manager belongs to a team, not to a larger unit.")})
    current = manager.memberships.filter(ended__isnull=True).first()
    if current is not None and on < current.started:
        raise ValidationError(
            {
                "started": _("The move cannot start before the current membership (%(day)s).")
                % {"day": current.started.isoformat()}
            }
        )
    return current


@transaction.atomic
def move_manager(
    *, manager: AccountManager, team: OrgUnit | None, on: datetime.date
) -> TeamMembership | None:
    """Put ``manager`` in ``team`` from ``on`` (None: in no team from that day).

    Rules: one open membership per manager; the open one ends the day the new one starts,
    so every day belongs to exactly one team and past work stays with the team it was done
    in; a move cannot start before the current membership did; the manager's ``supervisor``
    becomes the new team's head.
    """
    manager = AccountManager.objects.select_for_update().get(pk=manager.pk)
    current = check_move(manager=manager, team=team, on=on)
    if current is not None:
        if current.team_id == (team.pk if team else None):
            return current
        if on == current.started:
            current.delete()  # a same-day correction: the wrong team never had a day
        else:
            current.ended = on
            current.save(update_fields=["ended"])
    membership = None
    if team is not None:
        membership = TeamMembership.objects.create(manager=manager, team=team, started=on)
    AccountManager.objects.filter(pk=manager.pk).update(
        team=team, supervisor=team.head if team is not None else manager.supervisor
    )
    return membership
