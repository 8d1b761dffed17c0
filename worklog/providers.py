"""The registry of records a day's work log is assembled from.

A provider is a function ``provider(manager, day)`` returning an iterable of ``LogEntry``:
that manager's records of that local day. Apps at or below worklog's layer are registered
in ``worklog.apps``; an app above worklog (for example outreach's events) registers its own
provider in its ``AppConfig.ready`` with ``worklog.providers.register``. Each provider should
cost one query (or two): the log page runs every provider.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

_providers = []


@dataclass(frozen=True)
class LogEntry:
    when: datetime.datetime | None  # None: a record of the whole day (a training)
    kind: str  # a short key for the icon: "visit", "delivery", "intake", "case", ...
    title: str
    detail: str = ""
    url: str = ""

    def as_json(self):
        return {
            "clock": f"{timezone.localtime(self.when):%H:%M}" if self.when else "",
            "kind": self.kind,
            "title": self.title,
            "detail": self.detail,
            "url": self.url,
        }


def register(provider):
    """Add a provider (idempotent); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def entries_for(manager, day):
    """Every provider's entries for ``manager`` on ``day``, in time order (whole-day first)."""
    entries = [entry for provider in _providers for entry in provider(manager, day)]
    entries.sort(key=lambda entry: (entry.when is not None, entry.when or datetime.datetime.min))
    return entries
