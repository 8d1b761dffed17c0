"""Panels on the branch page contributed by other apps (stock, open cases, briefings...).

An app registers a panel from its ``AppConfig.ready``::

    from branches.panels import Panel, register_panel

    register_panel(Panel(order=30, template="documents/_branch_stock_panel.html",
                         context=lambda branch, user: {"stock": ...}))

``context`` runs a constant number of queries; the template receives ``branch`` and the
returned dictionary. The branch page renders every panel in ``order``.
"""

from collections.abc import Callable
from dataclasses import dataclass

_panels = []


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable


def register_panel(panel):
    if all(existing.template != panel.template for existing in _panels):
        _panels.append(panel)
        _panels.sort(key=lambda p: p.order)
    return panel


def panels_for(branch, user):
    """[(template, context)] for the branch page, in order."""
    rendered = []
    for panel in _panels:
        context = {"branch": branch, "user": user}
        context.update(panel.context(branch, user) or {})
        rendered.append((panel.template, context))
    return rendered


def panel_context(template, branch, user):
    """One panel's context on its own: for measuring a panel's queries in isolation."""
    panel = next(p for p in _panels if p.template == template)
    return {"branch": branch, "user": user, **(panel.context(branch, user) or {})}


# The same for the visit page: an app adds a section under a visit (photos, say) with
# ``register_visit_panel(Panel(order, template, context=lambda visit, user: {...}))``.
_visit_panels = []


def register_visit_panel(panel):
    if all(existing.template != panel.template for existing in _visit_panels):
        _visit_panels.append(panel)
        _visit_panels.sort(key=lambda p: p.order)
    return panel


def visit_panels_for(visit, user):
    """[(template, context)] for the visit page, in order."""
    rendered = []
    for panel in _visit_panels:
        context = {"visit": visit, "user": user}
        context.update(panel.context(visit, user) or {})
        rendered.append((panel.template, context))
    return rendered
