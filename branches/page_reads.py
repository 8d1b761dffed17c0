"""The branch page's reads, made in one statement (issue 22).

The branch page shows the branch's own figures, a timeline fed by eight apps and their
panels: two dozen small reads of a dozen tables. Each app registers the querysets its panel
or timeline provider needs, by name, from its ``AppConfig.ready``::

    from branches.page_reads import register_read, rows

    register_read("service.open_cases", lambda branch, limit: Case.objects.filter(branch=branch))

    def panel_context(branch, user):
        return {"open_cases": rows(branch, "service.open_cases")}

The branch page calls ``prefetch(branch)`` first: every registered queryset is read in one
UNION ALL and kept on the branch instance for the request. ``rows`` answers from there, or —
a panel or provider used on its own, in a test, on another page — reads its queryset itself,
so results never depend on the prefetch.

Factories take ``(branch, limit)``: ``branch`` is the branch's id, or the placeholder for it
(``core.prepared``: the page's reads are built and compiled once per process, then run with
each page's branch), so a factory uses it only as a filter's value (``branch=branch``,
``customer__branch=branch``), never as an instance (``branch.stock``) or in Python. ``limit``
is the timeline's (50 on the page); panels ignore it. A factory returns an unevaluated
queryset whose rows do not depend on any other read.
"""

from core.prepared import fetch_prepared

TIMELINE_LIMIT = 50
_KEY = "_page_reads"
_reads = {}


def register_read(name, factory):
    _reads[name] = factory
    return factory


def prefetch(branch, limit=TIMELINE_LIMIT):
    """Read every registered queryset for ``branch`` in one statement."""
    names = tuple(_reads)
    results = fetch_prepared(
        ("branches.page_reads", names, limit),
        lambda v: [_reads[name](v.branch, limit) for name in names],
        branch=branch.pk,
    )
    for result in results:
        known_branch(result, branch)
    branch.__dict__[_KEY] = (limit, dict(zip(names, results, strict=True)))


def known_branch(result, branch):
    """Rows of the branch know it, as rows read through ``branch.<related>`` would: a row's
    ``.branch`` costs no query."""
    for row in result:
        state = getattr(row, "_state", None)
        # __dict__, not getattr: a row read with .only() would load a deferred branch_id.
        if state is not None and getattr(row, "__dict__", {}).get("branch_id") == branch.pk:
            state.fields_cache.setdefault("branch", branch)


def rows(branch, name, limit=TIMELINE_LIMIT):
    """The rows of the read ``name``: prefetched for this branch and limit, or read now."""
    cached = branch.__dict__.get(_KEY)
    if cached is not None:
        cached_limit, results = cached
        if cached_limit == limit and name in results:
            return results[name]
    result = list(_reads[name](branch.pk, limit))
    known_branch(result, branch)
    return result


def prefetched(branch, name):
    """(limit, rows) of a prefetched read, or None."""
    cached = branch.__dict__.get(_KEY)
    if cached is None or name not in cached[1]:
        return None
    return cached[0], cached[1][name]
