"""The branch page's reads, made in one statement (issue 22).

The branch page shows the branch's own figures, a timeline fed by eight apps and their
panels: two dozen small reads of a dozen tables. Each app registers the querysets its panel
or timeline provider needs, by name, from its ``AppConfig.ready``::

    from branches.page_reads import register_read, rows

    register_read("service.open_cases", lambda branch, user, limit: Case.objects.filter(...))

    def panel_context(branch, user):
        return {"open_cases": rows(branch, "service.open_cases", user)}

The branch page calls ``prefetch(branch, user)`` first: every registered queryset is read in
one UNION ALL (``core.batch.fetch_together``) and kept on the branch instance for the
request. ``rows`` answers from there, or — a panel or provider used on its own, in a test, on
another page — reads its queryset itself, so results never depend on the prefetch.

Factories take ``(branch, user, limit)``; ``limit`` is the timeline's (50 on the page) and
panels ignore it. A factory returns an unevaluated queryset whose rows do not depend on any
other read.
"""

from core.batch import fetch_together

TIMELINE_LIMIT = 50
_KEY = "_page_reads"
_reads = {}


def register_read(name, factory):
    _reads[name] = factory
    return factory


def prefetch(branch, user, limit=TIMELINE_LIMIT):
    """Read every registered queryset for ``branch`` in one statement."""
    names = list(_reads)
    results = fetch_together([_reads[name](branch, user, limit) for name in names])
    branch.__dict__[_KEY] = (user, limit, dict(zip(names, results, strict=True)))


def rows(branch, name, user=None, limit=TIMELINE_LIMIT):
    """The rows of the read ``name``: prefetched for this branch, user and limit, or read now."""
    cached = branch.__dict__.get(_KEY)
    if cached is not None:
        cached_user, cached_limit, results = cached
        if cached_limit == limit and name in results and (user is None or user == cached_user):
            return results[name]
    return list(_reads[name](branch, user, limit))


def prefetched(branch, name):
    """(limit, rows) of a prefetched read, or None."""
    cached = branch.__dict__.get(_KEY)
    if cached is None or name not in cached[2]:
        return None
    return cached[1], cached[2][name]
