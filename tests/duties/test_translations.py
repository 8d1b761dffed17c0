from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "duties" / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_every_duties_message_is_translated(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalog = read_po(handle)
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            "fuzzy" in message.flags
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert missing == []


def test_the_checklist_speaks_chinese_first(manager_client):
    assert "今日工作清单" in manager_client.get(reverse("duties:today")).text


def test_the_catalogue_follows_the_chosen_language(manager_client, daily_log_template):
    from django.conf import settings

    assert "填写工作日志" in manager_client.get(reverse("duties:today")).text
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = manager_client.get(reverse("duties:today")).text
    assert "Write the daily log" in text and "Today's checklist" in text


@pytest.mark.parametrize("app", ["duties", "documents"])
def test_the_english_catalogue_says_what_the_source_says(app):
    # msgmerge's fuzzy guesses once survived as "translations": "Record briefing" read
    # "Record training" in English. English source needs no translation at all.
    path = LOCALE.parent.parent / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    wrong = [
        (message.id, message.string)
        for message in catalog
        if message.id
        and message.string != (tuple(message.id) if isinstance(message.id, tuple) else message.id)
    ]
    assert wrong == []
