import datetime

import factory
from django.utils import timezone

from service.models import Case, CaseEvent, Kind
from tests.branches.factories import BranchFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row as the service would leave it (use services.open_case to test the rules)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    branch = factory.SubFactory(BranchFactory)
    customer_name = factory.Sequence(lambda n: f"客户{n}")
    customer_mobile = factory.Sequence(lambda n: f"138{n:08d}")
    kind = Kind.COMPLAINT
    assigned_manager = factory.SelfAttribute("branch.manager")
    created_by = factory.SelfAttribute("branch.manager.user")
    opened_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda case: case.opened_at + datetime.timedelta(hours=48))

    @factory.post_generation
    def opened_event(case, create, extracted, **kwargs):
        if create:
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.STATUS,
                to_status=case.status,
                actor=case.created_by,
                created_at=case.opened_at,
            )
