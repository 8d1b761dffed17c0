import os

from django.core.asgi import get_asgi_application

from core.collector import settle_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()
# Start-up done: its objects out of the collector's sight, fewer young collections.
settle_collector()
