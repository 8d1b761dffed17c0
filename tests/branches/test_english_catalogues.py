"""The English UI shows the English source text, never a guess msgmerge carried over.

``msgmerge`` fills a new msgid with the nearest old translation and flags it fuzzy; clearing
the flag without replacing the text once turned "Log visit" into "last visit" on screen.
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

APPS = (
    "branches",
    "staff",
    "reminders",
    "grading",
    "duties",
    "documents",
    "service",
    "sales",
    "photos",
    "outreach",
    "offline",
    "worklog",
    "accounts",
    "",
)


@pytest.mark.parametrize("app", APPS)
def test_every_english_message_is_its_source_text(app):
    # "" is the project catalogue (templates/ and config/).
    path = Path(settings.BASE_DIR) / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if message.string[0] != message.id[0] or message.string[1] != message.id[1]:
                wrong.append(message.id)
        elif message.string != message.id:
            wrong.append((message.id, message.string))
    assert not wrong, f"{path}: {wrong[:5]}"


def test_the_visit_form_reads_right_in_english(manager_client, manager):
    from tests.branches.factories import BranchFactory

    branch = BranchFactory(manager=manager)
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = manager_client.get(f"/branches/{branch.pk}/visits/new/").content.decode()
    assert "Log visit" in html
    assert "Save visit" in html
    assert "last visit" not in html
