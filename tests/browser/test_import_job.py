"""Issue 14, finding 5: the import job page follows a background import in the browser.

Its script (branches/import_progress.js, no inline script under the CSP) polls the status
URL, moves the progress bar while the job runs and reloads the page when it has finished.
"""

import pytest
from django.urls import reverse

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_job_page_follows_progress_and_shows_the_result(desktop_page, live_server):
    from playwright.sync_api import expect

    from branches.models import ImportJob
    from tests.grading.factories import UserFactory

    page = desktop_page
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    job = ImportJob.objects.create(
        created_by=root,
        model_label="branches.branch",
        resource="branches.resources.BranchResource",
        file_name="branches.csv",
        file_format="csv",
        language="en",
        status=ImportJob.Status.RUNNING,
        total=200,
        progress=0,
    )
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, live_server, root)
    page.goto(live_server.url + reverse("admin:branches_branch_import_job", args=[job.pk]))
    assert page.locator("#import-progress").get_attribute("value") == "0"

    ImportJob.objects.filter(pk=job.pk).update(progress=120)
    expect(page.locator("#import-count")).to_have_text("120 / 200", timeout=10_000)
    assert page.locator("#import-progress").get_attribute("max") == "200"

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        progress=200,
        summary={"created": 200, "updated": 0, "unchanged": 0, "rejected": 0, "saved": True},
    )
    page.wait_for_selector("#import-summary", timeout=10_000)
    assert "200 new" in page.locator("#import-summary").inner_text()
    assert page.locator("#import-progress").count() == 0
    # The browser refused no script (favicon 404s aside, nothing else is logged as an error).
    assert not [text for text in errors if "Content Security Policy" in text], errors
