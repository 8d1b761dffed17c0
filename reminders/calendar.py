"""The calendar (.ics) feed: the user's branches' staff birthdays and planned next visits.

Reads only; everything is cut to the feed owner's scope with the single scoping rule.
"""

import datetime

from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from branches.models import Branch
from reminders.models import CalendarFeed
from reminders.selectors import may_receive_reminders
from staff.models import BranchStaff

# A plan made long ago and never followed up is noise; older plans are left out.
PLANNED_VISITS_SINCE_DAYS = 30
PRODID = "-//Branchdesk//网点通//ZH"


def get_feed_owner(token):
    """The active user a token belongs to, or 404 (unknown, rotated, or malformed token)."""
    if not token or len(token) > 64:
        raise Http404
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active or not may_receive_reminders(feed.user):
        raise Http404
    return feed.user


def _language(user):
    preference = getattr(user, "reminder_preference", None)
    return preference.language if preference is not None else "zh-hans"


def _birthday_event(member, stamp):
    # A leap year start keeps 29 February valid; BYMONTHDAY=-1 makes it 28 February otherwise.
    start = datetime.date(2000, member.birth_month, member.birth_day)
    rule = {"FREQ": "YEARLY"}
    if (member.birth_month, member.birth_day) == (2, 29):
        rule.update({"BYMONTH": 2, "BYMONTHDAY": -1})
    event = Event()
    event.add("uid", f"birthday-{member.pk}@branchdesk")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(days=1))
    event.add("rrule", vRecur(rule))
    event.add("transp", "TRANSPARENT")
    event.add(
        "summary",
        _("Birthday: %(name)s (%(branch)s)")
        % {"name": member.name, "branch": f"{member.branch.bank} {member.branch.name}"},
    )
    event.add("description", member.get_role_display())
    return event


def _visit_event(branch, day, stamp):
    event = Event()
    event.add("uid", f"visit-{branch.pk}-{day.isoformat()}@branchdesk")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", _("Visit %(branch)s") % {"branch": f"{branch.bank} {branch.name}"})
    if branch.address:
        event.add("location", branch.address)
    return event


def birthdays_for(user):
    return (
        BranchStaff.objects.for_user(user)
        .filter(is_active=True, branch__is_active=True, birth_month__isnull=False)
        .select_related("branch__bank")
        .order_by("birth_monthday", "pk")
    )


def planned_visits_for(user, today):
    """Active branches whose latest visit planned a next one (recent or ahead)."""
    since = today - datetime.timedelta(days=PLANNED_VISITS_SINCE_DAYS)
    return (
        Branch.objects.for_user(user)
        .filter(is_active=True, planned_visit_on__gte=since)
        .select_related("bank")
        .order_by("planned_visit_on", "pk")
    )


def build_calendar(user, today=None):
    """The iCalendar document (bytes) of the user's feed. Two queries."""
    today = today or timezone.localdate()
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with translation.override(_language(user)):
        calendar.add("x-wr-calname", _("Branchdesk: birthdays and visits"))
        calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
        for member in birthdays_for(user):
            try:
                calendar.add_component(_birthday_event(member, stamp))
            except ValueError:  # an impossible date typed in the admin (e.g. 31 April)
                continue
        for branch in planned_visits_for(user, today):
            calendar.add_component(_visit_event(branch, branch.planned_visit_on, stamp))
    return calendar.to_ical()
