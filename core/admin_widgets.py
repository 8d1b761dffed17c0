"""The admin's autocomplete widget, safe with any posted value.

A refused admin form is shown again with what was posted. For an autocomplete field (a
foreign key in ``autocomplete_fields``) Django's widget then looks the posted values up with
``pk__in=[...]`` as they are, so a value that is no id at all ("abc", "²") raised ValueError
while rendering: a 500 instead of the form's "Select a valid choice". Values the target field
cannot hold are left out of that lookup, as the form already reports them.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_optgroups = AutocompleteMixin.optgroups


def _valid_values(widget, value):
    remote = widget.field.remote_field
    opts = remote.model._meta
    target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
    kept = []
    for item in value:
        try:
            target.to_python(item)
        except ValidationError:
            continue
        kept.append(item)
    return kept


def optgroups(self, name, value, attr=None):
    return _optgroups(self, name, _valid_values(self, value), attr)


def register():
    AutocompleteMixin.optgroups = optgroups
