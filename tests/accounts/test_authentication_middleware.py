"""accounts.middleware.AuthenticationMiddleware: the signed-in user is on the request as
itself, read once, with the roles the pages ask about."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.access import is_supervisor, manager_profile
from accounts.middleware import AuthenticationMiddleware

pytestmark = pytest.mark.django_db


def _request_with_session_of(client):
    """A request carrying the test client's session, through Django's session middleware."""
    request = RequestFactory().get("/")
    request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


def test_a_signed_in_request_carries_the_user_itself_with_its_roles(
    client, supervisor, django_assert_num_queries
):
    client.force_login(supervisor)
    request = _request_with_session_of(client)
    # The session, the user and their roles are one read (accounts.sessions), and asking
    # about the roles reads nothing more.
    with django_assert_num_queries(1):
        AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
        assert type(request.user) is get_user_model()
        assert request.user.pk == supervisor.pk
        assert is_supervisor(request.user)
        assert manager_profile(request.user) is None


def test_without_a_session_the_user_is_anonymous(client):
    request = _request_with_session_of(client)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    assert isinstance(request.user, AnonymousUser)


def test_a_deactivated_users_next_page_asks_them_to_sign_in(client, manager):
    client.force_login(manager.user)
    assert client.get("/").status_code == 200
    get_user_model().objects.filter(pk=manager.user.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
