import datetime

import factory
from django.utils import timezone

from duties.models import (
    Attendance,
    BriefingDelivery,
    ChecklistTemplate,
    DutyTask,
    PolicyBriefing,
    TrainingSession,
)
from tests.branches.factories import BranchFactory


def task(code):
    """A task of the catalogue the data migration loaded."""
    return DutyTask.objects.get(code=code)


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    task = factory.LazyFunction(lambda: task("daily-log"))
    frequency = ChecklistTemplate.Frequency.DAILY
    fulfilment = ChecklistTemplate.Fulfilment.MANUAL


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    kind = TrainingSession.Kind.BRANCH
    manager = factory.SubFactory("tests.grading.factories.AccountManagerFactory")
    topics = factory.LazyFunction(lambda: [TrainingSession.Topic.PRODUCT])
    held_on = factory.LazyFunction(timezone.localdate)
    duration_minutes = 60
    head_count = 5

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if create:
            self.branches.set(extracted or [BranchFactory(manager=self.manager)])


class PolicyBriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyBriefing

    category = PolicyBriefing.Category.NEW_PRODUCT
    title = factory.Sequence(lambda n: f"新险种推广{n}")
    body = "产品要点"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))


class BriefingDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BriefingDelivery

    briefing = factory.SubFactory(PolicyBriefingFactory)
    branch = factory.SubFactory(BranchFactory)
    delivered_by = factory.SelfAttribute("branch.manager")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    manager = factory.SubFactory("tests.grading.factories.AccountManagerFactory")
    date = factory.LazyFunction(timezone.localdate)
    status = Attendance.Status.FIELD
