"""Chinese first, English on request; both catalogues complete and compiled."""

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "site-packages" not in path.parts
)


def test_every_app_and_the_project_have_both_catalogues():
    expected = {"locale", "grading", "branches", "staff", "duties", "documents", "service"}
    found = {path.parts[len(ROOT.parts)] for path in CATALOGUES}
    assert expected <= found
    for path in CATALOGUES:
        languages = {
            p.parent.parent.name for p in path.parent.parent.parent.glob("*/LC_MESSAGES/django.po")
        }
        assert languages == {"zh_Hans", "en"}, path


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_catalogue_is_complete_and_compiled(po_path):
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:5]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run compilemessages: {mo_path} is missing"
    with open(mo_path, "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string, (
                f"{mo_path} is stale: run compilemessages"
            )


def test_it_speaks_chinese_by_default_even_to_an_english_browser(manager_client):
    response = manager_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "我的网点" in html


def test_it_switches_to_english_on_request(manager_client):
    response = manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = manager_client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "My branches" in html


def test_the_menu_follows_each_requests_language(manager_client):
    """The menu's labels are kept per language in the process: switching back and forth,
    each page's menu is in that page's language."""
    checklist = reverse("duties:today")

    def menu_entry():
        html = manager_client.get("/").content.decode()
        return re.search(rf'href="{checklist}">([^<]+)</a>', html).group(1)

    assert menu_entry() == "工作清单"
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert menu_entry() == "Checklist"
    manager_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert menu_entry() == "工作清单"


def test_it_shows_404_in_the_chosen_language(manager_client):
    assert "页面不存在" in manager_client.get("/branches/999999/").content.decode()
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Page not found" in manager_client.get("/branches/999999/").content.decode()


def test_the_login_page_can_switch_language_before_login(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_no_message_is_translated_two_ways():
    """Django merges every app's catalogue into one: the first app in INSTALLED_APPS wins.

    The same English text translated differently in two apps would show the other app's
    wording on screen; give it a context (pgettext) when the meanings really differ.
    """
    chinese = {}
    clashes = []
    for path in CATALOGUES:
        if path.parent.parent.name != "zh_Hans":
            continue
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                key = (
                    message.context,
                    str(message.id if isinstance(message.id, str) else message.id[0]),
                )
                value = message.string if isinstance(message.string, str) else message.string[0]
                if chinese.setdefault(key, value) != value:
                    clashes.append((key[1], chinese[key], value, str(path.relative_to(ROOT))))
    assert not clashes


def _earlier_catalogues():
    """The Chinese catalogues that win over our apps' ones: every installed app listed before
    our first app (Django's admin, auth, … and third-party apps), and Django's own."""
    import django
    from django.apps import apps

    ours = {"grading", "branches", "staff", "duties", "documents", "service", "reminders"}
    paths = [Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.po"]
    for config in apps.get_app_configs():
        if config.label in ours:
            break
        paths.append(Path(config.path) / "locale/zh_Hans/LC_MESSAGES/django.po")
    return [path for path in paths if path.exists()]


def test_no_message_of_an_app_is_translated_otherwise_by_djangos_catalogues():
    """The checklist's visit form labelled its summary 概览: Django admin's "Summary" won.

    An app's catalogue loses to every app listed before it in INSTALLED_APPS, so a msgid that
    Django (or a third-party app) already translates differently needs a context (pgettext).
    The project's own locale/ wins over all of them and is left out.
    """
    theirs = {}
    for path in _earlier_catalogues():
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                key = (
                    message.context,
                    message.id if isinstance(message.id, str) else message.id[0],
                )
                value = message.string if isinstance(message.string, str) else message.string[0]
                if value:
                    theirs.setdefault(key, (value, str(path)))
    assert theirs, "Django's catalogues were not found"
    clashes = []
    for path in CATALOGUES:
        if path.parent.parent.name != "zh_Hans" or path.parts[len(ROOT.parts)] == "locale":
            continue
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                key = (
                    message.context,
                    message.id if isinstance(message.id, str) else message.id[0],
                )
                value = message.string if isinstance(message.string, str) else message.string[0]
                if key in theirs and theirs[key][0] != value:
                    clashes.append((key[1], value, theirs[key][0], str(path.relative_to(ROOT))))
    assert not clashes


def test_the_checklist_visit_form_calls_the_summary_a_visit_summary():
    from django.utils import translation

    from duties.forms import LogVisitForm

    with translation.override("zh-hans"):
        assert str(LogVisitForm.base_fields["summary"].label) == "拜访小结"


def test_every_admin_column_is_translated():
    """The managers' list said "Display name" on a Chinese screen: a column named after a
    property never reaches the catalogue, so this checks the headers as the admin renders them."""
    import re

    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field
    from django.utils import translation

    ours = {"accounts", "grading", "branches", "staff", "duties", "documents", "service"}
    ours |= {"reminders", "sales", "desk"}
    untranslated = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in ours:
                continue
            for name in model_admin.list_display:
                if name == "action_checkbox":
                    continue
                label = str(label_for_field(name, model, model_admin))
                if not re.search(r"[\u3400-\u9fff]", label):
                    untranslated.append((model._meta.label, name, label))
    assert not untranslated


def test_every_field_has_a_chinese_name():
    """A field without a translated verbose name reads in English wherever the admin, an
    export or an error names it ("created at" on a Chinese screen). A field added to a model
    whose name never reached the catalogues fails here: ``makemessages`` does not run in the
    tests, and the completeness test reads only the entries that exist. The history models'
    own columns (django-simple-history's) and primary keys are left out."""
    import re

    from django.apps import apps
    from django.utils import translation

    ours = {"accounts", "grading", "branches", "staff", "duties", "documents", "service"}
    ours |= {"reminders", "sales", "desk", "photos", "outreach", "worklog", "offline"}
    unnamed = []
    with translation.override("zh-hans"):
        for model in apps.get_models():
            if model._meta.app_label not in ours or model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if not field.primary_key and not re.search(
                    r"[\u3400-\u9fff]", str(field.verbose_name)
                ):
                    unnamed.append(f"{model._meta.label}.{field.name}: {field.verbose_name}")
    assert not unnamed


@pytest.mark.parametrize(
    "po_path",
    [path for path in CATALOGUES if path.parent.parent.name == "en"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_english_source_text_carries_chinese(po_path):
    """ "Wealth manager (理财经理)", "premium (元)": the English screen showed the Chinese gloss.

    The source text is the English; the Chinese term belongs in the zh_Hans translation."""
    import re

    with open(po_path, "rb") as handle:
        chinese = [
            message.id
            for message in read_po(handle)
            if message.id
            and re.search(
                r"[\u3400-\u9fff]", message.id if isinstance(message.id, str) else message.id[0]
            )
        ]
    assert not chinese
