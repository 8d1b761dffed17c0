from accounts import demo as accounts_demo
from branches import demo as branches_demo
from service import demo
from service.models import Case


def test_the_demo_has_cases_in_every_status_and_runs_twice_without_duplicates(db):
    log = []
    for module in (accounts_demo, branches_demo, demo):
        module.seed(log.append)
    count = Case.objects.count()
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert Case.objects.overdue().exists()
    demo.seed(log.append)
    assert Case.objects.count() == count
