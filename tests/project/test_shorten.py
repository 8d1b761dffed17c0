"""core's `shorten` filter writes what truncatechars writes (issue 22: the fast path)."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

TEXTS = [
    "",
    "短",
    "拜访网点主任，沟通季度计划",
    "x" * 10,
    "x" * 11,
    "é" * 10,  # precomposed
    "e\u0301" * 10,  # decomposed: NFC makes it ten characters
    "e\u0301" * 11,
    "a<b>&'\"" * 3,
    mark_safe("<b>粗体</b>" * 3),
    "一二三四五六七八九十十一",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", ["10", "1", "0", "-3", "abc"])
def test_it_writes_what_truncatechars_writes(text, length):
    context = Context({"text": text})
    for language in ["zh-hans", "en"]:
        with translation.override(language):
            old = Template(f'{{{{ text|truncatechars:"{length}" }}}}').render(context)
            new = Template(f'{{% load branchdesk %}}{{{{ text|shorten:"{length}" }}}}').render(
                context
            )
        assert new == old
