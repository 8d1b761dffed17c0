"""Where a form may send the browser back to (its ``next`` field)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, url):
    """``url`` if it is a path on this site, else None (then the caller's default).

    A path only: "0" or "home" is no URL, and redirect() would try it as a view name (a 500);
    another host or scheme would make the form an open redirect.
    """
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return None
