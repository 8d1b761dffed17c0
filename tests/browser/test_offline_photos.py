"""A visit with a photo logged in a lobby with no signal (issue 19): the shrunk photo waits in
IndexedDB with the visit, within the phone's photo budget, and both arrive once."""

import pytest

from tests.browser.test_offline import _manager, _signed_in_and_ready, phone  # noqa: F401
from tests.photos.images import jpeg_with_exif

pytestmark = pytest.mark.browser

QUEUED_PHOTOS = """() => BDStore.all("outbox").then((records) => records.map((r) =>
  r.photos.map((p) => ({size: p.size, blob: p.blob instanceof Blob, type: p.blob.type}))))"""


@pytest.mark.django_db(transaction=True)
def test_a_visit_with_a_photo_logged_offline_arrives_once_with_its_photo(
    phone,  # noqa: F811
    live_server,
    tmp_path,
):
    from branches.models import Visit
    from photos.models import Photo
    from tests.branches.factories import BranchFactory

    camera = tmp_path / "IMG_0001.jpg"
    camera.write_bytes(jpeg_with_exif(size=(2400, 1800)))
    context, page = phone
    profile = _manager("zhou")
    branch = BranchFactory(manager=profile, name="陆家嘴支行")
    _signed_in_and_ready(page, live_server, profile.user)

    page.goto(f"{live_server.url}/branches/{branch.pk}/visits/new/")
    context.set_offline(True)
    page.check("input[name=purposes][value=relationship]")
    page.fill("textarea[name=summary]", "大堂拍了海报")
    page.set_input_files("input[name=photos]", str(camera))

    # Over the budget: the user is told, in Chinese, and nothing is queued.
    page.evaluate("() => { BDOffline.limits.PHOTO_MAX_BYTES = 1000; }")
    page.click("button[name=save]")
    toasts = page.locator("#offline-toasts")
    toasts.get_by_text("未保存").wait_for()
    assert "IMG_0001.jpg" in toasts.inner_text()
    assert page.evaluate("() => BDStore.all('outbox').then((r) => r.length)") == 0

    # Within the budget: queued with the visit, shrunk by the phone, as a Blob.
    page.evaluate("() => { BDOffline.limits.PHOTO_MAX_BYTES = 3 * 1024 * 1024; }")
    page.click("button[name=save]")
    pending = page.locator("#outbox-pending")
    pending.wait_for()
    assert pending.inner_text().split() == ["待同步", "1"]
    queued = page.evaluate(QUEUED_PHOTOS)
    assert len(queued) == 1 and len(queued[0]) == 1
    assert queued[0][0]["blob"] and queued[0][0]["type"] == "image/jpeg"
    assert 0 < queued[0][0]["size"] < camera.stat().st_size  # noqa: SIM300

    # The pending list on the offline page shows the photo count.
    page.goto(f"{live_server.url}/offline/")
    row = page.locator("#outbox-list li[data-status=pending]")
    row.wait_for()
    assert "陆家嘴支行" in row.inner_text()
    assert row.locator(".photo-count").inner_text().strip() == "照片：1"
    assert not Visit.objects.exists()

    context.set_offline(False)  # the "online" event sends the outbox
    page.wait_for_function("() => document.getElementById('outbox-status').hidden")

    visit = Visit.objects.get(branch=branch)
    photo = Photo.objects.get()
    assert photo.object_id == visit.pk
    assert max(photo.width, photo.height) == 1600  # shrunk on the phone before it was queued

    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    timeline = page.locator("#timeline")
    assert timeline.get_by_text("大堂拍了海报").count() == 1
    thumbnails = timeline.locator(f"img[src='/photos/{photo.pk}/thumb/']")
    assert thumbnails.count() == 1
    assert page.locator("#timeline img[src$='/thumb/']").count() == 1


@pytest.mark.django_db(transaction=True)
def test_photos_added_to_a_visit_with_no_signal_arrive_once(
    phone,  # noqa: F811
    live_server,
    tmp_path,
):
    from photos.models import Photo
    from tests.branches.factories import BranchFactory, VisitFactory

    camera = tmp_path / "IMG_0002.jpg"
    camera.write_bytes(jpeg_with_exif(size=(1200, 900)))
    context, page = phone
    profile = _manager("wu")
    visit = VisitFactory(branch=BranchFactory(manager=profile), manager=profile)
    _signed_in_and_ready(page, live_server, profile.user)

    # The visit's page was open when the signal went; the photo panel's form is queued.
    page.goto(f"{live_server.url}/branches/visits/{visit.pk}/")
    context.set_offline(True)
    page.set_input_files("#photos input[name=photos]", str(camera))
    page.locator("#photos button[type=submit]").click()
    page.locator("#outbox-pending").wait_for()
    assert page.locator("#outbox-pending").inner_text().split() == ["待同步", "1"]
    assert page.evaluate(QUEUED_PHOTOS)[0][0]["blob"]
    assert not Photo.objects.exists()

    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('outbox-status').hidden")
    assert list(Photo.objects.values_list("object_id", flat=True)) == [visit.pk]
