"""core.links: an object's address from its route reversed once, the same as reverse()."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from core.links import id_url

ROUTES = ["documents:movements", "documents:count", "branches:detail", "duties:tick"]


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("pk", [0, 7, 123456789])
def test_it_is_reverse(name, pk):
    assert id_url(name, pk) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix():
    before = id_url("branches:detail", 5)
    set_script_prefix("/branchdesk/")
    try:
        assert id_url("branches:detail", 5) == "/branchdesk" + before
        assert id_url("branches:detail", 5) == reverse("branches:detail", args=[5])
    finally:
        set_script_prefix("/")
    assert id_url("branches:detail", 5) == before


def test_anything_but_an_id_goes_through_reverse():
    assert id_url("branches:detail", "42") == reverse("branches:detail", args=["42"])


def test_the_filter_writes_what_the_url_tag_writes():
    context = Context({"pk": 31})
    tag = Template("{% url 'documents:movements' pk %}").render(context)
    fltr = Template("{% load branchdesk %}{{ pk|url_for:'documents:movements' }}").render(context)
    assert fltr == tag == reverse("documents:movements", args=[31])
