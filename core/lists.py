"""Lists written out by hand in the reader's language."""

from django.utils.translation import pgettext


def list_separator():
    """The catalogue's ("list separator", ", "): 、 in zh_Hans."""
    return pgettext("list separator", ", ")


def join_list(items, separator=None):
    """ "定期拜访、培训" on a Chinese screen, "Regular visit, Training" on an English one.

    ``separator``: ``list_separator()`` looked up already (a loop over many lists)."""
    return (separator or list_separator()).join(str(item) for item in items)
