"""Photos on visits and events: checked, cleaned, stamped, and shown only within scope."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from photos.models import Photo
from tests.branches.factories import AbnormalEventFactory, VisitFactory
from tests.photos.images import jpeg_with_exif, png


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def visit(branch, manager):
    return VisitFactory(
        branch=branch, manager=manager, visited_at=_at(datetime.date(2026, 12, 1), 10)
    )


def _upload(client, owner, *files, label="branches.visit"):
    return client.post(
        reverse("photos:upload", args=[label, owner.pk]), {"photos": list(files)}, follow=False
    )


def _jpeg(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_with_exif(**kwargs), content_type="image/jpeg")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_upload_keeps_clean_copy_without_exif(manager_client, visit):
    response = _upload(manager_client, visit, _jpeg(size=(800, 600)))

    assert response.status_code == 302
    assert response.url == reverse("branches:visit_detail", args=[visit.pk])
    photo = Photo.objects.get()
    assert (photo.branch, photo.manager, photo.object_id) == (visit.branch, visit.manager, visit.pk)
    assert timezone.localtime(photo.taken_at) == _at(datetime.date(2026, 12, 1), 10, 15)
    assert not photo.far_from_owner_time
    with photo.image.open("rb") as stored:
        data = stored.read()
    stored_image = Image.open(io.BytesIO(data))
    assert stored_image.format == "JPEG"
    assert stored_image.size == (800, 600) == (photo.width, photo.height)
    assert len(stored_image.getexif()) == 0
    assert "exif" not in stored_image.info
    assert b"Mate 60" not in data and b"Huawei" not in data
    with photo.thumbnail.open("rb") as stored:
        assert max(Image.open(stored).size) == 320
    assert "1 photo added." in _messages(response)[0] or "已添加 1 张照片" in _messages(response)[0]


def test_orientation_is_applied_and_large_photos_shrunk(manager_client, visit, settings):
    settings.PHOTOS_MAX_SIDE = 500
    # Orientation 6: the camera was held upright; the stored copy must be portrait.
    _upload(manager_client, visit, _jpeg(size=(1000, 800), orientation=6))

    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (400, 500)


def test_png_with_transparency_is_accepted(manager_client, visit):
    _upload(manager_client, visit, SimpleUploadedFile("wall.png", png(), "image/png"))

    assert Photo.objects.get().taken_at is None


def test_non_image_renamed_jpg_is_refused(manager_client, visit):
    fake = SimpleUploadedFile("poster.jpg", b"%PDF-1.4 not a photo at all", "image/jpeg")

    response = _upload(manager_client, visit, _jpeg(), fake)

    assert response.status_code == 302
    assert not Photo.objects.exists()  # the good one is not kept either: all or nothing
    assert _messages(response) == ["poster.jpg 不是照片：请选择 JPEG、PNG 或 WebP 图片。"]


def test_too_large_file_is_refused(manager_client, visit, settings):
    settings.PHOTOS_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10), "image/jpeg")

    response = _upload(manager_client, visit, big)

    assert not Photo.objects.exists()
    assert _messages(response) == ["big.jpg 超过 1 MB。"]


def test_too_many_pixels_is_refused_before_decoding(manager_client, visit, settings):
    settings.PHOTOS_MAX_PIXELS = 100 * 100

    response = _upload(manager_client, visit, _jpeg(name="bomb.jpg", size=(200, 200)))

    assert not Photo.objects.exists()
    assert _messages(response) == ["bomb.jpg 像素过多（200×200）。"]


def test_no_file_and_too_many_files(manager_client, visit, settings):
    settings.PHOTOS_MAX_PER_UPLOAD = 1
    response = _upload(manager_client, visit, _jpeg("a.jpg"), _jpeg("b.jpg"))
    assert _messages(response) == ["一次最多 1 张照片。"]
    response = manager_client.post(reverse("photos:upload", args=["branches.visit", visit.pk]))
    assert _messages(response)[-1] == "请至少选择一张照片。"
    assert not Photo.objects.exists()


def test_photo_taken_far_from_the_visit_is_flagged(manager_client, visit):
    response = _upload(manager_client, visit, _jpeg(taken="2026:11:28 09:00:00"))

    photo = Photo.objects.get()
    assert photo.far_from_owner_time
    assert any("标记" in message for message in _messages(response))


def test_event_photo_within_its_day_is_not_flagged(manager_client, branch, manager):
    event = AbnormalEventFactory(branch=branch, occurred_on=datetime.date(2026, 12, 1))

    _upload(
        manager_client, event, _jpeg(taken="2026:12:01 18:00:00"), label="branches.abnormalevent"
    )

    assert not Photo.objects.get().far_from_owner_time


def test_served_photo_is_stamped_and_private(manager_client, visit):
    _upload(manager_client, visit, _jpeg(size=(800, 600)))
    photo = Photo.objects.get()

    response = manager_client.get(reverse("photos:image", args=[photo.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    served = response.content
    with photo.image.open("rb") as stored:
        original = stored.read()
    assert served != original
    served_image = Image.open(io.BytesIO(served))
    assert served_image.size == (800, 600)
    # The stamp darkens the bottom band; the top of the photo is left as it was.
    original_image = Image.open(io.BytesIO(original)).convert("RGB")
    bottom = served_image.convert("RGB").getpixel((400, 595))
    assert sum(bottom) < sum(original_image.getpixel((400, 595))) - 60
    top = served_image.convert("RGB").getpixel((400, 10))
    assert abs(sum(top) - sum(original_image.getpixel((400, 10)))) < 15
    assert len(served_image.getexif()) == 0
    exported = manager_client.get(reverse("photos:image", args=[photo.pk]), {"download": "1"})
    assert exported["Content-Disposition"] == f'attachment; filename="photo-{photo.pk}.jpg"'
    assert exported.content == served


def test_stamp_carries_time_branch_and_checkin_distance(visit):
    from photos.views import stamp_lines

    visit.distance_m = 123  # as the check-in stored it (branches.services.log_visit)
    photo = Photo(branch=visit.branch, taken_at=_at(datetime.date(2026, 12, 1), 10, 15))

    assert stamp_lines(photo, visit) == [
        "拍摄于 2026-12-01 10:15",
        str(visit.branch),
        "签到距网点 123 米",
    ]


def test_another_manager_gets_404_and_the_supervisor_200(
    client, manager, other_manager, supervisor, visit
):
    client.force_login(manager.user)
    _upload(client, visit, _jpeg())
    photo = Photo.objects.get()

    client.force_login(other_manager.user)
    assert client.get(reverse("photos:image", args=[photo.pk])).status_code == 404
    assert client.get(reverse("photos:thumbnail", args=[photo.pk])).status_code == 404
    upload = reverse("photos:upload", args=["branches.visit", visit.pk])
    assert client.post(upload, {"photos": [_jpeg()]}).status_code == 404
    assert Photo.objects.count() == 1

    client.force_login(supervisor)
    assert client.get(reverse("photos:image", args=[photo.pk])).status_code == 200
    assert client.get(reverse("photos:thumbnail", args=[photo.pk])).status_code == 200


def test_unknown_owner_model_is_404(manager_client, branch):
    response = manager_client.post(
        reverse("photos:upload", args=["branches.branch", branch.pk]), {"photos": [_jpeg()]}
    )
    assert response.status_code == 404


def test_visit_page_has_camera_input_and_thumbnails(manager_client, visit):
    _upload(manager_client, visit, _jpeg())
    photo = Photo.objects.get()

    html = manager_client.get(reverse("branches:visit_detail", args=[visit.pk])).content.decode()

    assert 'accept="image/*" capture="environment" multiple' in html
    assert reverse("photos:thumbnail", args=[photo.pk]) in html
    assert "photos/upload.js" in html
    assert "<script>" not in html


def test_branch_timeline_and_panel_show_thumbnails(manager_client, visit):
    _upload(manager_client, visit, _jpeg(), _jpeg("b.jpg"))
    thumbs = [reverse("photos:thumbnail", args=[p.pk]) for p in Photo.objects.all()]

    response = manager_client.get(reverse("branches:detail", args=[visit.branch.pk]))

    html = response.content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert "2 张照片：拜访" in timeline
    assert all(thumb in timeline for thumb in thumbs)
    panel = html[html.index('id="branch-photos"') : html.index('id="timeline"')]
    assert all(thumb in panel for thumb in thumbs)


def test_deleting_the_visit_deletes_its_photos(
    manager_client, visit, django_capture_on_commit_callbacks
):
    _upload(manager_client, visit, _jpeg())
    photo = Photo.objects.get()
    storage, name = photo.image.storage, photo.image.name

    with django_capture_on_commit_callbacks(execute=True):
        visit.delete()

    assert not Photo.objects.exists()
    assert not storage.exists(name)


def test_documents_registers_placements_and_intake_batches(manager_client, branch, manager):
    from documents.models import IntakeBatch

    batch = IntakeBatch.objects.create(branch=branch, collected_by=manager.user)

    page = reverse("documents:intake_batch", args=[batch.pk])
    assert 'capture="environment"' in manager_client.get(page).content.decode()
    response = _upload(manager_client, batch, _jpeg(), label="documents.intakebatch")

    assert response.url == page
    assert Photo.objects.get().branch == branch


def test_the_stamp_speaks_english_on_request(visit):
    from django.utils import translation

    from photos.views import stamp_lines

    photo = Photo(
        branch=visit.branch, taken_at=None, uploaded_at=_at(datetime.date(2026, 12, 1), 9)
    )
    with translation.override("en"):
        assert stamp_lines(photo, visit)[0] == "Uploaded 2026-12-01 09:00 (no camera time)"


@pytest.mark.parametrize("next_url", ["0", "home", "https://evil.example/", "//evil.example/"])
def test_a_next_that_is_not_a_path_here_sends_back_to_the_record(manager_client, visit, next_url):
    response = manager_client.post(
        reverse("photos:upload", args=["branches.visit", visit.pk]),
        {"photos": [_jpeg()], "next": next_url},
    )

    assert response.status_code == 302
    assert response.url == reverse("branches:visit_detail", args=[visit.pk])
    assert Photo.objects.count() == 1


def test_a_next_on_this_site_is_followed(manager_client, visit, branch):
    back = reverse("branches:detail", args=[branch.pk])
    response = manager_client.post(
        reverse("photos:upload", args=["branches.visit", visit.pk]),
        {"photos": [_jpeg()], "next": back},
    )

    assert (response.status_code, response.url) == (302, back)
