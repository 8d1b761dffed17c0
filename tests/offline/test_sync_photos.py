"""Photos queued offline with a visit: sent with it (multipart), stored once, through the same
photos checks as an upload on the page; a bad one refuses the visit with its reason."""

import json
import uuid

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from branches.models import Visit
from offline import services
from offline.models import SyncRecord
from photos.models import Photo
from tests.branches.factories import BranchFactory, VisitFactory
from tests.offline.test_sync import delivery_fields, record, visit_fields
from tests.photos.images import jpeg_with_exif


def _jpeg(name="camera.jpg"):
    return SimpleUploadedFile(name, jpeg_with_exif(size=(800, 600)), content_type="image/jpeg")


def _not_a_photo(name="poster.jpg"):
    return SimpleUploadedFile(name, b"%PDF-1.4 not a photo at all", content_type="image/jpeg")


def send_with_photos(client, *records_and_files, language=None):
    """One multipart sync request, as offline-store.js sends records that carry photos."""
    if language:
        client.cookies["django_language"] = language
    records, data = [], {}
    for sent, files in records_and_files:
        records.append({**sent, "photos": len(files)})
        for file in files:
            data.setdefault(f"file:{sent['key']}:photos", []).append(file)
    data["records"] = json.dumps({"records": records})
    return client.post("/offline/sync/", data=data)


def _stored_files():
    storage = storages["photos"]

    def walk(path):
        folders, files = storage.listdir(path)
        found = [f"{path}/{name}".lstrip("/") for name in files]
        for folder in folders:
            found += walk(f"{path}/{folder}".lstrip("/"))
        return found

    return walk("")


def test_a_visit_and_its_photo_sent_twice_are_saved_once(manager_client, branch):
    sent = record("visit", branch.pk, visit_fields())
    before = set(_stored_files())

    first = send_with_photos(manager_client, (sent, [_jpeg()]))
    # The answer was lost: the phone sends the record and its photo again.
    second = send_with_photos(manager_client, (sent, [_jpeg()]))

    assert first.status_code == second.status_code == 200
    assert first.json()["results"] == second.json()["results"]
    assert first.json()["results"][0]["status"] == "accepted"
    visit = Visit.objects.get(branch=branch)
    photo = Photo.objects.get()
    assert (photo.object_id, photo.branch, photo.taken_by) == (
        visit.pk,
        branch,
        branch.manager.user,
    )
    assert len(set(_stored_files()) - before) == 2  # the photo and its thumbnail, once
    # Cleaned like an upload on the page: no EXIF (GPS, phone model) in what is stored.
    with photo.image.open("rb") as stored:
        data = stored.read()
    assert b"Huawei" not in data and b"Mate 60" not in data
    # The branch page shows the photo on the visit's timeline entry.
    page = manager_client.get(reverse("branches:detail", args=[branch.pk]))
    assert page.content.decode().count(reverse("photos:thumbnail", args=[photo.pk])) >= 1


def test_the_same_key_applied_twice_by_the_service_stores_one_photo(manager, branch):
    key = uuid.uuid4()
    for _attempt in range(2):
        services.apply_record(
            user=manager.user,
            key=key,
            kind="visit",
            target=branch.pk,
            data=services.form_data(visit_fields()),
            files=MultiValueDict({"photos": [_jpeg()]}),
        )

    assert Visit.objects.count() == 1
    assert Photo.objects.count() == 1
    assert SyncRecord.objects.get().status == "accepted"


def test_a_bad_photo_refuses_the_visit_with_its_reason_and_saves_nothing(manager_client, branch):
    sent = record("visit", branch.pk, visit_fields())
    before = set(_stored_files())

    result = send_with_photos(manager_client, (sent, [_jpeg(), _not_a_photo()])).json()

    assert result["results"][0]["status"] == "refused"
    assert result["results"][0]["reason"] == "poster.jpg 不是照片：请选择 JPEG、PNG 或 WebP 图片。"
    assert not Visit.objects.exists()
    assert not Photo.objects.exists()
    assert set(_stored_files()) == before  # the good photo's file is not left behind either
    # Sent again, the same key gives the same answer.
    again = send_with_photos(manager_client, (sent, [_jpeg(), _not_a_photo()])).json()
    assert again["results"] == result["results"]


def test_the_refusal_is_in_english_for_an_english_user(manager_client, branch):
    sent = record("visit", branch.pk, visit_fields())

    result = send_with_photos(manager_client, (sent, [_not_a_photo()]), language="en").json()

    assert result["results"][0]["reason"] == (
        "poster.jpg is not a photo: choose a JPEG, PNG or WebP image."
    )


def test_too_many_pixels_is_refused_like_an_upload(manager_client, branch, settings):
    settings.PHOTOS_MAX_PIXELS = 1000
    sent = record("visit", branch.pk, visit_fields())

    result = send_with_photos(manager_client, (sent, [_jpeg()])).json()["results"][0]

    assert result["status"] == "refused"
    assert "像素" in result["reason"]
    assert not Visit.objects.exists()


def test_a_record_whose_photos_did_not_all_arrive_stays_pending(manager_client, branch):
    sent = {**record("visit", branch.pk, visit_fields()), "photos": 2}
    data = {
        "records": json.dumps({"records": [sent]}),
        f"file:{sent['key']}:photos": [_jpeg()],
    }

    result = manager_client.post("/offline/sync/", data=data).json()["results"][0]

    assert result["status"] == "retry"
    assert not Visit.objects.exists()
    assert not SyncRecord.objects.exists()  # the key is still free for the whole record


def test_photos_sent_with_a_delivery_are_refused(manager_client, branch):
    sent = record("delivery", branch.pk, delivery_fields("10"))

    result = send_with_photos(manager_client, (sent, [_jpeg()])).json()["results"][0]

    assert result["status"] == "refused"
    assert not Photo.objects.exists()


def test_photos_of_another_record_in_the_request_are_not_mixed_up(manager_client, branch):
    one = record("visit", branch.pk, visit_fields(summary="第一次"))
    two = record("visit", branch.pk, visit_fields(summary="第二次"))

    result = send_with_photos(manager_client, (one, [_jpeg("a.jpg")]), (two, [])).json()

    assert [r["status"] for r in result["results"]] == ["accepted", "accepted"]
    first = Visit.objects.get(summary="第一次")
    assert list(Photo.objects.values_list("object_id", flat=True)) == [first.pk]


def test_the_visit_page_takes_photos_with_the_visit(manager_client, branch):
    """Online, the same attachment: the visit form's photos are stored with the visit."""
    fields = dict(visit_fields())
    response = manager_client.post(
        reverse("branches:visit_create", args=[branch.pk]), {**fields, "photos": [_jpeg()]}
    )

    assert response.status_code == 302
    visit = Visit.objects.get()
    assert Photo.objects.get().object_id == visit.pk


def test_a_bad_photo_on_the_visit_page_keeps_the_form_and_saves_nothing(manager_client, branch):
    fields = dict(visit_fields())
    response = manager_client.post(
        reverse("branches:visit_create", args=[branch.pk]),
        {**fields, "photos": [_not_a_photo()]},
    )

    assert response.status_code == 200
    assert "poster.jpg 不是照片" in response.content.decode()
    assert not Visit.objects.exists()
    assert not Photo.objects.exists()


def test_the_visit_form_offers_the_camera(manager_client, branch):
    page = manager_client.get(reverse("branches:visit_create", args=[branch.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'name="photos"' in page and 'capture="environment"' in page


# --- Photos added to an existing record with no signal (the photo panel's form) -----------


def _panel_record(owner, label="branches.visit"):
    return record("photos", owner.pk, [["owner", label], ["next", "/"]])


def test_photos_added_to_a_visit_offline_are_stored_once(manager_client, branch):
    visit = VisitFactory(branch=branch, manager=branch.manager)
    sent = _panel_record(visit)

    first = send_with_photos(manager_client, (sent, [_jpeg("a.jpg"), _jpeg("b.jpg")])).json()
    second = send_with_photos(manager_client, (sent, [_jpeg("a.jpg"), _jpeg("b.jpg")])).json()

    assert first == second
    assert first["results"][0]["status"] == "accepted"
    assert first["results"][0]["url"] == reverse("branches:visit_detail", args=[visit.pk])
    assert list(Photo.objects.values_list("object_id", flat=True)) == [visit.pk, visit.pk]


def test_photos_for_another_managers_visit_are_refused(manager_client, other_manager):
    theirs = VisitFactory(branch=BranchFactory(manager=other_manager), manager=other_manager)

    result = send_with_photos(manager_client, (_panel_record(theirs), [_jpeg()])).json()

    assert result["results"][0]["status"] == "refused"
    assert result["results"][0]["reason"] == "这条记录已不在你的名下，照片未保存。"
    assert not Photo.objects.exists()


def test_a_bad_photo_for_a_visit_is_refused_with_the_reason(manager_client, branch):
    visit = VisitFactory(branch=branch, manager=branch.manager)

    result = send_with_photos(manager_client, (_panel_record(visit), [_not_a_photo()])).json()

    assert result["results"][0]["status"] == "refused"
    assert result["results"][0]["reason"] == "poster.jpg 不是照片：请选择 JPEG、PNG 或 WebP 图片。"
    assert not Photo.objects.exists()


def test_no_photo_or_an_unknown_kind_of_record_is_refused(manager_client, branch):
    visit = VisitFactory(branch=branch, manager=branch.manager)

    empty = send_with_photos(manager_client, (_panel_record(visit), [])).json()["results"][0]
    unknown = send_with_photos(
        manager_client, (_panel_record(visit, label="auth.user"), [_jpeg()])
    ).json()["results"][0]

    assert (empty["status"], empty["reason"]) == ("refused", "请至少选择一张照片。")
    assert unknown["status"] == "refused"
    assert not Photo.objects.exists()


def test_the_photo_panel_form_is_queued_offline(manager_client, branch):
    visit = VisitFactory(branch=branch, manager=branch.manager)

    page = manager_client.get(reverse("branches:visit_detail", args=[visit.pk])).content.decode()

    assert f'data-offline-kind="photos" data-offline-target="{visit.pk}"' in page
    assert 'name="owner" value="branches.visit"' in page
    assert 'id="offline-photo-budget"' in page


def test_a_doubled_key_racing_in_with_a_photo_leaves_no_photo_and_no_file(
    manager, branch, monkeypatch
):
    """The second of two racing requests with one key: its insert hits the constraint, its
    visit and photo rows are rolled back, and the photo's stored files are deleted."""
    key = uuid.uuid4()
    theirs = SyncRecord.objects.create(
        user=manager.user, key=key, kind="visit", status="accepted", object_id=999
    )
    real_lookup = services.first_answer
    looked_up = []

    def not_yet_committed(**kwargs):
        looked_up.append(kwargs)
        return None if len(looked_up) == 1 else real_lookup(**kwargs)

    monkeypatch.setattr(services, "first_answer", not_yet_committed)
    before = set(_stored_files())

    result = services.apply_record(
        user=manager.user,
        key=key,
        kind="visit",
        target=branch.pk,
        data=services.form_data(visit_fields()),
        files=MultiValueDict({"photos": [_jpeg()]}),
    )

    assert result == theirs
    assert not Visit.objects.exists()
    assert not Photo.objects.exists()
    assert set(_stored_files()) == before


def test_an_impossible_year_is_refused_not_a_server_error(manager_client, branch):
    """Year 1 from a date field overflowed the time-zone arithmetic: the whole sync request
    failed, and the record blocked the queue behind it on every retry."""
    sent = record("visit", branch.pk, visit_fields(visited_at="0001-01-02T08:00"))

    response = send_with_photos(manager_client, (sent, []))

    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["status"] == "refused"
    assert result["reason"] == "拜访时间：拜访时间不能早于 2000 年。"
    assert not Visit.objects.exists()
