"""{% pending_reviews %}: "N assessments await your review", linking to the admin list.

A tiny include for the supervisor's home and dashboard (wherever those pages live), so they
need no knowledge of grading beyond this tag. A page that reads the count with its other
reads passes it (``{% pending_reviews count=... %}``), so its template reads nothing.
"""

from django import template
from django.urls import reverse

from grading import selectors
from grading.admin.filters import AwaitingReviewFilter

register = template.Library()


@register.inclusion_tag("grading/includes/pending_reviews.html", takes_context=True)
def pending_reviews(context, count=None):
    """``count``: the number the page read with its other reads
    (``selectors.awaiting_review_count_query``); without it the tag reads it (one query)."""
    if count is None:
        request = context.get("request")
        user = getattr(request, "user", None) or context.get("user")
        count = selectors.awaiting_review_count(user) if user is not None else 0
    link = (
        f"{reverse('admin:grading_assessment_changelist')}"
        f"?{AwaitingReviewFilter.parameter_name}={AwaitingReviewFilter.MINE}"
    )
    return {"count": count, "link": link}
