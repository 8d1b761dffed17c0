"""The installable app (manifest, service worker, favicon) and offline mode's endpoints."""

import hashlib
import json
import uuid

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from branches.forms import VisitForm
from branches.models import Branch
from branches.submissions import visit_attachments
from documents.forms import MovementForm
from documents.submissions import delivery_forms
from offline import selectors, services

# A sync request carries at most this many records; the phone sends the rest next time.
MAX_RECORDS_PER_SYNC = 50
LANGUAGES = ("zh-hans", "en")

# The app shell the service worker keeps: no page with personal data, only files and the
# offline page (which is rendered for nobody and fills itself from IndexedDB).
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/branchdesk.css",
    "js/branchdesk.js",
    "js/offline-store.js",
    "js/offline.js",
    "js/offline-page.js",
    "photos/upload.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/favicon.png",
)


def _language(request):
    """The language asked for in ?lang= (the manifest and the offline page are fetched
    without cookies), else the request's own."""
    wanted = request.GET.get("lang")
    return wanted if wanted in LANGUAGES else translation.get_language()


@login_not_required
@require_GET
def manifest(request):
    with translation.override(_language(request)):
        body = {
            "name": _("Branchdesk"),
            "short_name": _("Branchdesk"),
            "description": _("The bancassurance account manager's branch desk"),
            "lang": translation.get_language(),
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            # The --bd-brand and --bd-page tokens of static/css/branchdesk.css.
            "theme_color": "#1d4ed8",
            "background_color": "#f2f3f5",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@login_not_required
@require_GET
def favicon(request):
    return HttpResponseRedirect(static("icons/favicon.png"))


@login_not_required
@require_GET
def service_worker(request):
    """The service worker, from the site's root so that its scope is the whole site."""
    shell = [static(name) for name in SHELL_FILES]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    response = render(
        request,
        "offline/sw.js",
        {
            "version": version,
            "shell": json.dumps(shell),
            "store_js": static("js/offline-store.js"),
            "static_prefix": static(""),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline_page(request):
    """The page shown when a page cannot be loaded: rendered for nobody (it is kept by the
    service worker), it fills itself from the data stored in IndexedDB."""
    with translation.override(_language(request)):
        # The real forms, so the fields queued offline are the ones the pages send; the
        # branch's staff and stock are filled in from the stored data.
        nobody = Branch(pk=0)
        form, formset = delivery_forms(nobody)
        response = render(
            request,
            "offline/offline.html",
            {
                "user": AnonymousUser(),
                "nav_items": [],
                "visit_form": VisitForm(branch=nobody),
                "visit_attachments": visit_attachments(),
                "delivery_form": form,
                "delivery_formset": formset,
                "movement_form": MovementForm(auto_id="id_movement_%s"),
            },
        )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def data(request):
    """The signed-in user's offline data (JSON; never stored by the browser as a page)."""
    return JsonResponse(
        selectors.snapshot_for(request.user), json_dumps_params={"ensure_ascii": False}
    )


def _files_of(request, key):
    """The files sent for the record ``key`` (multipart parts named ``file:<key>:<field>``),
    by the form field they were chosen in."""
    prefix = f"file:{key}:"
    files = MultiValueDict()
    for name in request.FILES:
        if name.startswith(prefix):
            files.setlist(name[len(prefix) :], request.FILES.getlist(name))
    return files


def _payload(request):
    """The records of a sync request: a JSON body, or — when records carry photos — a
    multipart body whose ``records`` part is that JSON and whose files are the photos."""
    if request.content_type == "multipart/form-data":
        return json.loads(request.POST["records"])
    return json.loads(request.body)


@require_POST
def sync(request):
    """Apply the records queued on the phone, each once; answer each one's result."""
    try:
        payload = _payload(request)
        records = payload["records"]
        if not isinstance(records, list):
            raise TypeError
    except (ValueError, KeyError, TypeError, RequestDataTooBig, TooManyFilesSent):
        return JsonResponse({"error": _("The request could not be read.")}, status=400)
    results = []
    for record in records[:MAX_RECORDS_PER_SYNC]:
        try:
            key = uuid.UUID(str(record["key"]))
            target = int(record["target"])
            data = services.form_data(record["fields"])
            kind = str(record["kind"])
            expected = int(record.get("photos", 0))
        except (ValueError, KeyError, TypeError):
            results.append(
                {
                    "key": str(record.get("key", "")) if isinstance(record, dict) else "",
                    "status": "invalid",
                    "reason": _("The record could not be read."),
                }
            )
            continue
        files = _files_of(request, key)
        if sum(len(files.getlist(name)) for name in files) != expected:
            # Not every photo of the record arrived (a cut connection): it stays on the
            # phone, pending, and is sent again whole.
            results.append(
                {
                    "key": str(key),
                    "status": "retry",
                    "reason": _("The record's photos did not all arrive: it will be sent again."),
                }
            )
            continue
        result = services.apply_record(
            user=request.user, key=key, kind=kind, target=target, data=data, files=files
        )
        results.append(result.as_result())
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
