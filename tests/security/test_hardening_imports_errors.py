"""Finding 7 of issue 14: the import error page never shows a Python traceback."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _format_index(admin_class, model, title):
    formats = [f().get_title() for f in admin_class(model, None).get_import_formats()]
    return formats.index(title)


def test_a_file_level_import_error_shows_the_message_without_a_traceback(admin_client):
    from grading.admin.sales import SalesFigureAdmin
    from grading.models import SalesFigure

    # No employee_number/period columns: the resource fails before any row, a "base error".
    upload = SimpleUploadedFile("sales.csv", b"foo,bar\n1,2\n", content_type="text/csv")
    response = admin_client.post(
        reverse("admin:grading_salesfigure_import"),
        {"import_file": upload, "format": _format_index(SalesFigureAdmin, SalesFigure, "csv")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Traceback" not in page
    assert "site-packages" not in page and ".py" not in page.split("<h2>", 1)[-1]
