import pytest
from django.urls import URLPattern, reverse

from documents import urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pattern", [p for p in urls.urlpatterns if isinstance(p, URLPattern)], ids=lambda p: p.name
)
def test_every_page_asks_an_anonymous_visitor_to_log_in(client, pattern):
    kwargs = {"pk": 1} if "<int:pk>" in str(pattern.pattern) else {}
    response = client.get(reverse(f"documents:{pattern.name}", kwargs=kwargs))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_supervisor_can_count_the_teams_stock(supervisor_client, branch, manager):
    from tests.documents.factories import stock_at

    stock = stock_at(branch, "brochure", 10, manager.user)
    response = supervisor_client.post(reverse("documents:count", args=[stock.pk]), {"counted": 8})
    assert response.status_code == 302
    stock.refresh_from_db()
    assert stock.on_hand == 8
