"""What every page must be, whoever opens it: one function per property, each returning the
failures it finds on one response (an empty list: the page passes).

The URL walk (tests/security/test_url_walk.py) already opens every page for every role; it
runs these on each 200 it gets, so no other test has to walk the app again to check one more
property of the same pages. tests/security/test_page_checks.py shows that each check can fail.
"""

import re

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# The record pages where the full number is the point (calling, correcting it).
FULL_NUMBER_PAGES = {
    "staff:detail",
    "staff:edit",
    "service:detail",
}
# The admin's lists; its other pages (change, history, delete) are the record's own.
ADMIN_LISTS = ("_changelist", "index", "app_list")


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def body(response):
    """The response's text, streamed or not (CSV exports stream their rows); None for binary."""
    if not response.get("Content-Type", "").startswith("text/"):
        return None  # an .xlsx is a zip, checked through its CSV twin; images, PDFs
    if response.streaming:
        # Read once and keep it, so that several checks can look at the same response.
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]
        return content.decode()
    return response.content.decode()


def _directives(response):
    directives = {}
    for part in response.get("Content-Security-Policy", "").split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name] = values
    return directives


def security_headers(response):
    """The project's own header rules: a CSP with no 'unsafe-inline' anywhere (scripts nor
    styles), framing refused, no MIME sniffing, the referrer kept on the site."""
    failures = []
    csp = response.get("Content-Security-Policy")
    if csp is None:
        return ["no Content-Security-Policy"]
    if "'unsafe-inline'" in _directives(response).get("script-src", []):
        failures.append("script-src allows 'unsafe-inline'")
    if "'unsafe-inline'" in csp:
        failures.append(f"the CSP allows 'unsafe-inline': {csp}")
    if "frame-ancestors 'none'" not in csp:
        failures.append("CSP without frame-ancestors 'none'")
    if "default-src 'self'" not in csp:
        failures.append("CSP without default-src 'self'")
    if response.get("X-Frame-Options") != "DENY":
        failures.append(f"X-Frame-Options {response.get('X-Frame-Options')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        failures.append(f"X-Content-Type-Options {response.get('X-Content-Type-Options')!r}")
    if response.get("Referrer-Policy") != "same-origin":
        failures.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    return failures


def observatory(response):
    """What a Mozilla Observatory scan would mark down on one response."""
    failures = []
    csp = _directives(response)
    script_src = csp.get("script-src", csp.get("default-src", []))
    if {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"} & set(script_src):
        failures.append(f"script-src {script_src}")
    if csp.get("object-src") != ["'none'"]:
        failures.append(f"object-src {csp.get('object-src')}")
    if csp.get("frame-ancestors") != ["'none'"]:
        failures.append(f"frame-ancestors {csp.get('frame-ancestors')}")
    if csp.get("default-src") != ["'self'"]:
        failures.append(f"default-src {csp.get('default-src')}")
    if csp.get("base-uri") not in (["'self'"], ["'none'"]):
        failures.append(f"base-uri {csp.get('base-uri')}")
    if response.get("X-Frame-Options") != "DENY":
        failures.append(f"X-Frame-Options {response.get('X-Frame-Options')}")
    if response.get("X-Content-Type-Options") != "nosniff":
        failures.append("X-Content-Type-Options")
    if response.get("Referrer-Policy") not in {"same-origin", "strict-origin", "no-referrer"}:
        failures.append(f"Referrer-Policy {response.get('Referrer-Policy')}")
    if response.get("Cross-Origin-Opener-Policy") != "same-origin":
        failures.append("Cross-Origin-Opener-Policy")
    return failures


def never_cached(response):
    """Every signed-in page shows personal data (names, phones, birthdays): no cache keeps it."""
    cache = response.get("Cache-Control", "")
    if "no-store" not in cache or "private" not in cache:
        return [f"Cache-Control {cache!r}"]
    return []


def no_inline_style(response):
    """The CSP's style-src has no 'unsafe-inline': a style="" attribute would be dropped."""
    if is_html(response) and 'style="' in body(response):
        return ['an inline style="" attribute']
    return []


def shows_phones(name, url):
    """Whether a page must show the known numbers masked (a list, not the record's own page)."""
    if (name or "").startswith("admin:") or url.startswith("/admin/"):
        return (name or "").endswith(ADMIN_LISTS)
    return name not in FULL_NUMBER_PAGES


def full_phones(response, phones):
    """Known full numbers on a page that must show them masked (138****5678)."""
    text = body(response)
    if text is None:
        return []
    return [f"shows the full number {phone}" for phone in sorted(set(PHONE.findall(text)) & phones)]


class PageChecks:
    """Runs every check on each 200 a walk gets, and remembers which pages each one saw."""

    def __init__(self, phones, signed_in):
        self.phones = set(phones)
        self.signed_in = signed_in
        self.checked = {
            "security_headers": set(),
            "observatory": set(),
            "never_cached": set(),
            "no_inline_style": set(),
            "full_phones": set(),
        }
        self.failures = []

    def __call__(self, name, url, response):
        if response.status_code != 200:
            return
        runs = [
            ("security_headers", lambda: security_headers(response)),
            ("observatory", lambda: observatory(response)),
        ]
        if self.signed_in:
            runs.append(("never_cached", lambda: never_cached(response)))
        if is_html(response):
            runs.append(("no_inline_style", lambda: no_inline_style(response)))
        if shows_phones(name, url) and body(response) is not None:
            runs.append(("full_phones", lambda: full_phones(response, self.phones)))
        for check, run in runs:
            self.checked[check].add(url)
            self.failures += [f"{name} {url}: {problem}" for problem in run()]

    def report(self):
        return "\n".join(self.failures)

    def counts(self):
        return {check: len(urls) for check, urls in self.checked.items()}
