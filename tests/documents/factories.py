from documents import services
from documents.models import BranchStock, StockItem


def item(code="application_form"):
    """A catalogue item from the data migration."""
    return StockItem.objects.get(code=code)


def stock_at(branch, code, quantity, user, when=None):
    """A BranchStock with ``quantity`` on hand, built through the ledger like real data."""
    services.record_delivery(branch, [(item(code), quantity)], user, when=when)
    return BranchStock.objects.get(branch=branch, item__code=code)


def serialized_migration_data(django_db_blocker):
    """Every row now in the test database (after migrations: roles, catalogue), as JSON."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


def reload_migration_data(django_db_blocker, contents):
    """Put back the rows saved by ``serialized_migration_data`` after a flush.

    A transactional test ends with a flush that empties every table; later transactional
    tests (in any app) still expect the roles and the stock catalogue that data migrations
    created. Call both from a module-scoped fixture: its teardown runs after the last
    test's flush.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    with django_db_blocker.unblock():
        # The flush's post_migrate recreated content types and permissions under new ids;
        # drop them so the saved ones (which the roles point at) come back unchanged.
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(contents)
