import datetime

import factory

from staff.models import BranchStaff, StaffPosting
from tests.branches.factories import BranchFactory


class BranchStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BranchStaff

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"员工{n}")
    role = BranchStaff.Role.TELLER
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    birth_month = 5
    birth_day = 20


class StaffPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffPosting

    staff = factory.SubFactory(BranchStaffFactory)
    branch = factory.SelfAttribute("staff.branch")
    role = factory.SelfAttribute("staff.role")
    started_on = datetime.date(2024, 1, 1)
