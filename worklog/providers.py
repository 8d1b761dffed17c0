"""The registry of records a day's work log is assembled from.

A provider is a function ``provider(manager, day)`` returning an iterable of ``LogEntry``:
that manager's records of that local day. Apps at or below worklog's layer are registered
in ``worklog.apps``; an app above worklog (for example outreach's events) registers its own
provider in its ``AppConfig.ready`` with ``worklog.providers.register``. Each provider should
cost one query (or two): the log page runs every provider.

A provider may instead be a ``Prepared`` one: its reads are querysets built from the day's
values (``core.prepared``), and every such provider's reads are made together, with the
day's log itself, in one statement built and compiled once per process (issue 22).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.dates import local_midnight
from core.prepared import Values, fetch_prepared

_providers = []


@dataclass(frozen=True)
class LogEntry:
    when: datetime.datetime | None  # None: a record of the whole day (a training)
    kind: str  # a short key for the icon: "visit", "delivery", "intake", "case", ...
    title: str
    detail: str = ""
    url: str = ""

    def as_json(self, zone=None):
        """``zone``: the current time zone, looked up once for a list of entries."""
        return {
            "clock": f"{timezone.localtime(self.when, zone):%H:%M}" if self.when else "",
            "kind": self.kind,
            "title": self.title,
            "detail": self.detail,
            "url": self.url,
        }


@dataclass(frozen=True)
class Prepared:
    """A provider made of ``reads(v)``: a list of unevaluated querysets of the manager's
    records of the day, using only ``v.manager`` (the AccountManager's id), ``v.user`` (its
    user's id), ``v.day`` and ``v.start``/``v.end`` (the local day's first instant and the
    next day's) as filter values; and ``entries(rows, manager, day)``: the LogEntries from
    the reads' rows (a list per read). Called as a provider, it reads the ordinary way."""

    name: str
    reads: object
    entries: object

    def __call__(self, manager, day):
        rows = [list(queryset) for queryset in self.reads(Values(day_values(manager, day)))]
        return self.entries(rows, manager, day)


def day_values(manager, day):
    """The values of a prepared provider's reads for ``manager`` on ``day``."""
    return {
        "manager": manager.pk,
        "user": manager.user_id,
        "day": day,
        "start": local_midnight(day),
        "end": local_midnight(day + datetime.timedelta(days=1)),
    }


def register(provider):
    """Add a provider (idempotent); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


_read_counts = {}  # entries_for's key: how many reads each prepared provider makes


def entries_for(manager, day, *, extra=None):
    """Every provider's entries for ``manager`` on ``day``, in time order (whole-day first).

    The ``Prepared`` providers' reads are one statement; ``extra(v)``: more querysets of the
    same values to read in it, whose rows are returned too: ``(entries, extra rows)``."""
    prepared = [provider for provider in _providers if isinstance(provider, Prepared)]
    key = ("worklog.entries", tuple(provider.name for provider in prepared), extra)

    def build(v):
        querysets, counts = [], []
        for provider in prepared:
            reads = provider.reads(v)
            counts.append(len(reads))
            querysets.extend(reads)
        _read_counts[key] = counts  # structure of the code only: the same on every build
        return querysets + (extra(v) if extra else [])

    rows = fetch_prepared(key, build, **day_values(manager, day))
    by_provider, position = {}, 0
    for provider, count in zip(prepared, _read_counts[key], strict=True):
        by_provider[provider] = rows[position : position + count]
        position += count
    entries = []
    for provider in _providers:
        if isinstance(provider, Prepared):
            entries.extend(provider.entries(by_provider[provider], manager, day))
        else:
            entries.extend(provider(manager, day))
    entries.sort(key=lambda entry: (entry.when is not None, entry.when or datetime.datetime.min))
    if extra is None:
        return entries
    return entries, rows[position:]
