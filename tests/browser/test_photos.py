"""On a phone, a manager attaches a camera photo to a visit and sees it on the branch timeline."""

import pytest
from django.utils import timezone

from tests.browser.conftest import login
from tests.browser.test_branches import restore_role_groups  # noqa: F401  (module fixture)
from tests.photos.images import jpeg_with_exif

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_photo_attached_to_a_visit_shows_on_the_branch_timeline(
    page, live_server, django_db_setup
):
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP
    from photos.models import Photo
    from tests.branches.factories import BranchFactory, VisitFactory
    from tests.grading.factories import AccountManagerFactory

    profile = AccountManagerFactory(user__username="wang")
    profile.user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    branch = BranchFactory(manager=profile, name="陆家嘴支行")
    visit = VisitFactory(branch=branch, manager=profile, visited_at=timezone.now())
    taken = timezone.localtime().strftime("%Y:%m:%d %H:%M:%S")
    # A phone-sized original, larger than the server keeps: the browser shrinks it first.
    original = jpeg_with_exif(size=(2400, 1800), taken=taken)

    login(page, live_server, profile.user)
    page.goto(f"{live_server.url}/branches/visits/{visit.pk}/")
    camera = page.locator("input[name=photos]")
    assert camera.get_attribute("accept") == "image/*"
    assert camera.get_attribute("capture") == "environment"
    camera.set_input_files({"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with page.expect_navigation():
        page.get_by_role("button", name="添加照片").click()
    page.wait_for_load_state("networkidle")
    assert errors == []
    assert "已添加 1 张照片" in page.locator("#toasts").inner_text()

    photo = Photo.objects.get()
    # Shrunk in the browser (1600 px), the camera time kept through the shrinking, EXIF gone.
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.taken_at is not None and not photo.far_from_owner_time
    assert page.locator(f"#photos img[src='/photos/{photo.pk}/thumb/']").count() == 1

    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    thumbnail = page.locator(f"#timeline li[data-kind=photo] img[src='/photos/{photo.pk}/thumb/']")
    thumbnail.scroll_into_view_if_needed()
    # Thumbnails load lazily: wait for this one to arrive and decode (a broken one never does).
    page.wait_for_function(
        "src => [...document.querySelectorAll('#timeline li[data-kind=photo] img')]"
        ".some(img => img.getAttribute('src') === src && img.complete && img.naturalWidth > 0)",
        arg=f"/photos/{photo.pk}/thumb/",
        timeout=10_000,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
