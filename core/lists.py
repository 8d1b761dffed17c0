"""Lists written out by hand in the reader's language."""

from django.utils.translation import pgettext


def join_list(items):
    """ "定期拜访、培训" on a Chinese screen, "Regular visit, Training" on an English one.

    The separator is the catalogue's ("list separator", ", "): 、 in zh_Hans."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
