"""The URL walk's page checks can fail: each reports the fault it looks for.

The walk (tests/security/test_url_walk.py) runs them on hundreds of pages that pass; these
fake responses show that a check which silently passed everything would be caught.
"""

import pytest
from django.http import HttpResponse, StreamingHttpResponse

from tests.security import page_checks
from tests.security.page_checks import PageChecks

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
SAFE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store, private",
}
PHONE = "13812345678"


def _page(html="<p>ok</p>", content_type="text/html; charset=utf-8", status=200, **headers):
    response = HttpResponse(html, content_type=content_type, status=status)
    for name, value in {**SAFE_HEADERS, **headers}.items():
        if value is None:
            del response[name]
        else:
            response[name] = value
    return response


def _all_checks(response):
    return (
        page_checks.security_headers(response)
        + page_checks.observatory(response)
        + page_checks.never_cached(response)
        + page_checks.no_inline_style(response)
        + page_checks.full_phones(response, {PHONE})
    )


def test_a_safe_page_passes_every_check():
    assert _all_checks(_page()) == []


def test_a_real_page_passes_them_too(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    checks = page_checks.security_headers(response) + page_checks.observatory(response)
    assert checks + page_checks.no_inline_style(response) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Security-Policy": None},
        {"Content-Security-Policy": CSP.replace("style-src 'self'", "style-src 'unsafe-inline'")},
        {"Content-Security-Policy": CSP.replace("script-src 'self'", "script-src 'unsafe-inline'")},
        {"Content-Security-Policy": CSP.replace("; frame-ancestors 'none'", "")},
        {"Content-Security-Policy": CSP.replace("default-src 'self'", "default-src *")},
        {"X-Frame-Options": None},
        {"X-Frame-Options": "SAMEORIGIN"},
        {"X-Content-Type-Options": None},
        {"Referrer-Policy": "unsafe-url"},
    ],
)
def test_the_header_check_reports_a_weak_header(headers):
    assert page_checks.security_headers(_page(**headers))


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Security-Policy": None},
        {"Content-Security-Policy": CSP.replace("script-src 'self'", "script-src 'self' https:")},
        {"Content-Security-Policy": CSP.replace("object-src 'none'", "object-src 'self'")},
        {"Content-Security-Policy": CSP.replace("; base-uri 'self'", "")},
        {"Cross-Origin-Opener-Policy": None},
        {"Referrer-Policy": "unsafe-url"},
    ],
)
def test_the_scan_reports_what_observatory_marks_down(headers):
    assert page_checks.observatory(_page(**headers))


@pytest.mark.parametrize("cache", [None, "max-age=600", "no-store", "private"])
def test_the_cache_check_reports_a_cacheable_page(cache):
    assert page_checks.never_cached(_page(**{"Cache-Control": cache}))


def test_the_style_check_reports_an_inline_style_on_html_only():
    styled = '<p style="color: red">ok</p>'
    assert page_checks.no_inline_style(_page(styled)) == ['an inline style="" attribute']
    assert page_checks.no_inline_style(_page(styled, content_type="application/json")) == []


def test_the_phone_check_reports_a_known_full_number_on_a_page_and_in_a_csv():
    assert page_checks.full_phones(_page(f"<td>{PHONE}</td>"), {PHONE})
    streamed = StreamingHttpResponse([f"name,mobile\r\n李娜,{PHONE}\r\n"], content_type="text/csv")
    assert page_checks.full_phones(streamed, {PHONE})
    # The streamed body stays readable for the next check.
    assert page_checks.full_phones(streamed, {PHONE})
    assert page_checks.full_phones(_page("<td>138****5678</td>"), {PHONE}) == []
    assert page_checks.full_phones(_page("<td>13999999999</td>"), {PHONE}) == []
    assert page_checks.full_phones(_page(f"<td>{PHONE}0</td>"), {PHONE}) == []


def test_the_walks_collector_names_the_page_and_skips_what_it_should():
    pages = PageChecks({PHONE}, signed_in=True)
    pages(
        "branches:list", "/branches/", _page(f'<p style="x">{PHONE}</p>', **{"Cache-Control": None})
    )
    assert pages.failures == [
        "branches:list /branches/: Cache-Control ''",
        'branches:list /branches/: an inline style="" attribute',
        f"branches:list /branches/: shows the full number {PHONE}",
    ]
    # Not a 200: nothing to check. The record's own page, and the admin's record pages,
    # show the full number on purpose; the admin's lists do not.
    pages.failures.clear()
    pages("branches:list", "/branches/", _page(f"{PHONE}", status=404, **{"X-Frame-Options": None}))
    pages("staff:detail", "/staff/1/", _page(PHONE))
    pages("admin:staff_branchstaff_change", "/admin/staff/branchstaff/1/change/", _page(PHONE))
    assert pages.failures == []
    pages("admin:staff_branchstaff_changelist", "/admin/staff/branchstaff/", _page(PHONE))
    assert len(pages.failures) == 1
    assert pages.counts()["full_phones"] == 2  # staff:detail and the change page not checked


def test_a_download_with_a_full_number_is_reported():
    download = _page(PHONE, content_type="text/csv", **{"Content-Disposition": "attachment"})
    pages = PageChecks({PHONE}, signed_in=True)
    pages("service:export_csv", "/service/export.csv", download)
    assert pages.failures == [
        f"service:export_csv /service/export.csv: shows the full number {PHONE}"
    ]


def test_a_signed_out_page_may_be_cached():
    pages = PageChecks({PHONE}, signed_in=False)
    pages("login", "/accounts/login/", _page(**{"Cache-Control": None}))
    assert pages.failures == []
    assert pages.counts()["never_cached"] == 0
