import pytest


@pytest.fixture(autouse=True)
def _eager_celery_unless_broker_test(request, settings):
    """Run tasks in-process even when CELERY_BROKER_URL is set (as `.ci/run` does).

    The broker tests below need the real broker; every other test asserts on what the
    task did, which needs it to have run by the time ``.delay()`` returns.
    """
    if request.node.get_closest_marker("broker") is None:
        settings.CELERY_TASK_ALWAYS_EAGER = True
