"""What apps above service add to cases: a customer or policy picked on the case form, and
more ways to find cases in the search.

service keeps its case's own fields (customer name, mobile, policy number) and knows nothing of
where customers and policies are recorded. An app that records them registers a linker from
its ``AppConfig.ready``::

    from service.case_links import CaseLinker, register

    register(CaseLinker(choices=..., prefill=..., search=...))

- ``choices(branch)``: grouped choices ``[(group label, [(value, label)])]`` of what can be
  picked for a case at that branch (the caller has checked the user may see the branch); labels
  show phones and ID numbers masked;
- ``prefill(value, branch)``: the case fields the picked value fills (``customer_name``,
  ``customer_mobile``, ``policy_number``, ``product``, ``policy_received_on``), or None when the
  value is not one of that branch's;
- ``search(text)``: a ``Q`` on Case for cases the text finds (a customer's name or phone finds
  the cases about their policies).

A case stays linked to its policy by the policy number it carries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

_linkers: list["CaseLinker"] = []


@dataclass(frozen=True)
class CaseLinker:
    choices: Callable
    prefill: Callable
    search: Callable


def register(linker: CaseLinker) -> CaseLinker:
    if linker not in _linkers:
        _linkers.append(linker)
    return linker


def choices(branch) -> list:
    """Every linker's grouped choices for a case at ``branch`` (empty: nothing to pick)."""
    return [group for linker in _linkers for group in linker.choices(branch)]


def prefill(value: str, branch) -> dict | None:
    """The case fields ``value`` fills at ``branch``, or None when no linker knows it there."""
    for linker in _linkers:
        found = linker.prefill(value, branch)
        if found is not None:
            return found
    return None


def search_q(text: str) -> Q:
    """Cases matching ``text``: the customer's name (part of it), the policy number or the
    mobile (exact), and whatever the registered linkers find."""
    text = text.strip()
    found = Q(customer_name__icontains=text) | Q(customer_mobile=text)
    found |= Q(policy_number=text.upper())
    for linker in _linkers:
        found |= linker.search(text)
    return found
