"""core.loading.QuickLoad: rows become the instances Django's own from_db would build."""

import pytest
from django.db import models
from django.db.models.signals import post_init

from branches.models import Branch
from core.loading import QuickLoad, _is_plain
from photos.models import Photo

pytestmark = pytest.mark.django_db


def _django_built(branch, names=None):
    """The same row (its ``names`` columns, default all) through Django's own from_db."""
    names = names or [field.attname for field in Branch._meta.concrete_fields]
    values = Branch.objects.filter(pk=branch.pk).values_list(*names).get()
    return models.Model.from_db.__func__(Branch, "default", names, values)


def _fields(instance):
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


def test_a_read_branch_equals_the_one_django_builds(branch):
    quick = Branch.objects.get(pk=branch.pk)
    django_built = _django_built(branch)
    assert isinstance(quick, QuickLoad)
    assert _fields(quick) == _fields(django_built)
    assert (quick._state.adding, quick._state.db) == (False, "default")
    assert quick.get_deferred_fields() == set()


def test_fields_not_read_are_deferred_and_read_on_access(branch, django_assert_num_queries):
    with django_assert_num_queries(1):
        quick = Branch.objects.only("name").get(pk=branch.pk)
    assert (
        quick.get_deferred_fields() == _django_built(branch, ["id", "name"]).get_deferred_fields()
    )
    with django_assert_num_queries(1):
        assert quick.tier == branch.tier


def test_a_read_instance_saves_as_an_update(branch):
    quick = Branch.objects.get(pk=branch.pk)
    quick.name = "改名支行"
    quick.save()
    assert Branch.objects.count() == 1
    assert Branch.objects.get(pk=branch.pk).name == "改名支行"


def test_related_rows_are_built_too(branch, django_assert_num_queries):
    with django_assert_num_queries(1):
        quick = Branch.objects.select_related("bank", "manager").get(pk=branch.pk)
        assert quick.bank.name == branch.bank.name
        assert quick.manager.pk == branch.manager_id
    assert not quick.bank._state.adding


def test_an_init_receiver_gets_djangos_own_path(branch):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Branch, dispatch_uid="test_loading")
    try:
        Branch.objects.get(pk=branch.pk)
    finally:
        post_init.disconnect(dispatch_uid="test_loading", sender=Branch)
    assert seen == [branch.pk]


def test_a_model_with_a_file_field_is_not_plain():
    assert _is_plain(Branch) is True
    assert _is_plain(Photo) is False
