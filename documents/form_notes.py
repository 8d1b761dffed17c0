"""Notes other apps add to a collected application form's history (the intake chain).

documents follows a form from collection to the hand-over to the archive; what becomes of it
afterwards (the insurer issues the policy) is known by apps above this one. Such an app
registers a provider from its ``AppConfig.ready``::

    from documents.form_notes import register

    @register
    def policies_issued(form_ids): ...   # {form id: [FormNote]}, in one query

The intake pages call :func:`notes_for` once for all the forms they show.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_providers: list[Callable] = []


@dataclass(frozen=True)
class FormNote:
    code: str  # a short key for the badge and for tests: "policy_issued"
    label: str  # "Policy issued", in the reader's language
    detail: str  # "P20261101 · 2026-11-20"
    on: datetime.date
    url: str = ""


def register(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def notes_for(form_ids: Iterable[int]) -> dict[int, list[FormNote]]:
    """{form id: [FormNote]} from every provider (one query each), oldest note first."""
    ids = list(form_ids)
    notes: dict[int, list[FormNote]] = {}
    if not ids:
        return notes
    for provider in _providers:
        for form_id, found in provider(ids).items():
            notes.setdefault(form_id, []).extend(found)
    for found in notes.values():
        found.sort(key=lambda note: note.on)
    return notes
