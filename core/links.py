"""Addresses of one object, reversed once per process instead of once per row (issue 22).

``{% url "documents:movements" row.pk %}`` in a list of 100 rows runs Django's whole
reverse() 100 times (about a fifth of the stock overview's template time). A route with
one argument is the same text around the number every time: reversed once per URLconf and
script prefix with a marker number, its two ends are kept and each id is put between them.
"""

import functools

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

# A number no table reaches: where it lands in the reversed path, an id goes.
_MARKER = 918273645546372819
_ends = {}


def _ends_of(name):
    key = (get_urlconf(), get_script_prefix(), name)
    try:
        return _ends[key]
    except KeyError:
        pass
    try:
        path = reverse(name, args=[_MARKER])
    except NoReverseMatch:
        ends = None  # the route refuses the marker (a narrower pattern): reverse each time
    else:
        head, found, tail = path.partition(str(_MARKER))
        # A converter that rewrites the number, or a path showing it twice: reverse each time.
        ends = (escape(head), escape(tail)) if found and str(_MARKER) not in tail else None
    _ends[key] = ends
    return ends


def id_url(name, pk):
    """``reverse(name, args=[pk])``, HTML-escaped as ``{% url %}`` writes it, for an integer
    id; the same text (any other argument goes through reverse())."""
    return _id_url(name, _ends_of(name), pk)


def id_urls(name):
    """``id_url`` for one route, its ends looked up once: for a loop over many rows (the
    work log's hundred visits)."""
    return functools.partial(_id_url, name, _ends_of(name))


def _id_url(name, ends, pk):
    if ends is not None and type(pk) is int and pk >= 0:
        return mark_safe(f"{ends[0]}{pk}{ends[1]}")
    return conditional_escape(reverse(name, args=[pk]))
