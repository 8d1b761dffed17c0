"""Model instances from database rows without Django's per-field constructor (issue 22).

Django's ``Model.from_db`` builds each row's instance through ``Model.__init__``, which walks
every concrete field of the model (a branch has eighteen), skipping those not loaded, and
sends ``pre_init`` and ``post_init``: 5.6 µs a branch on the bench machine. The supervisor
home builds some 600 instances a request (the team's 244 branches, their stock rows and
items, staff, cases). :class:`QuickLoad` builds them by writing the loaded columns into the
instance's ``__dict__``: 0.7 µs a branch.

What it gives is what Django gives: the loaded fields as attributes, the others deferred
(read on first access, as with ``only()``), ``_state.adding`` False and ``_state.db`` set.
Django's own path is taken whenever anything could tell the two apart: a receiver of
``pre_init`` or ``post_init`` connected for any model, a model with its own ``__init__`` or
``__setattr__``, or a field whose attribute does something when set (a file field, say).
Overriding ``from_db`` is the hook Django documents for customising model loading.
"""

from django.db import models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Attributes that only store the value they are given (a foreign key's id also forgets a
# cached related object, and a new instance has none).
_PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute)

_plain_models = {}  # model -> whether its instances may be built by writing __dict__


def _is_plain(model):
    plain = _plain_models.get(model)
    if plain is None:
        plain = (
            model.__init__ is models.Model.__init__
            and model.__setattr__ is models.Model.__setattr__
            and all(
                type(getattr(model, field.attname, None)) in _PLAIN_ATTRIBUTES
                for field in model._meta.concrete_fields
            )
        )
        _plain_models[model] = plain
    return plain


class QuickLoad(models.Model):
    """An abstract base: instances read from the database are built without ``__init__``
    (see the module's docstring for when Django's own path is taken instead)."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        if pre_init.receivers or post_init.receivers or not _is_plain(cls):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        state = ModelState()
        state.adding = False
        state.db = db
        new._state = state
        new.__dict__.update(zip(field_names, values, strict=True))
        return new
