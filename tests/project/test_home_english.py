"""English catalogues say what the source says: msgmerge must not leave a fuzzy guess behind.

(Issue 9 found 'My branches' shown as 'Branchdesk' and 'Log visit' as 'Log in'.)
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ENGLISH = sorted(
    path
    for path in ROOT.glob("**/locale/en/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "site-packages" not in path.parts
)


@pytest.mark.parametrize("po_path", ENGLISH, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_english_message_is_its_source_text(po_path):
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        expected = message.id if isinstance(message.id, str) else tuple(message.id[:2])
        actual = message.string if isinstance(message.id, str) else tuple(message.string)
        if actual != expected:
            wrong.append((message.id, message.string))
    assert not wrong, f"{po_path}: {wrong[:5]}"
