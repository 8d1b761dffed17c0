from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

from core.stack import call_in_own_chunk


class OwnStackChunkMiddleware:
    """The rest of the request in a frame-stack chunk of its own (``core.stack``): first in
    MIDDLEWARE, so where a template's loops fall against a chunk's edge no longer depends on
    the server and the middleware below the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return call_in_own_chunk(self.get_response, request)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on most
    phones and headless browsers says English. Our users expect Chinese first, so only an
    explicit choice counts: the language cookie set by the switcher, then the user's saved
    preference (when a later app adds one), then LANGUAGE_CODE.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivatePagesMiddleware:
    """Pages shown to a signed-in user carry personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
