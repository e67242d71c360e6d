"""Logging in and out, and login required on every page but the login page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import shown
from .factories import PASSWORD, UserFactory

PUBLIC = {"login", "claims:palette"}  # the stylesheet of badge colours holds nothing private


def named_urls(resolver=None, namespace=""):
    """Every named URL of the project with sample arguments, read from the URL configuration."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own login, tested in test_admin
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            arguments = {name: 1 for name in pattern.pattern.converters}
            yield f"{namespace}{pattern.name}", arguments


@pytest.mark.django_db
@pytest.mark.parametrize("name, arguments", list(named_urls()), ids=lambda value: str(value))
def test_every_page_but_login_needs_a_login(client, name, arguments):
    url = reverse(name, kwargs=arguments)
    for method in (client.get, client.post):
        response = method(url)
        if name in PUBLIC:
            assert response.status_code in (200, 302, 405)
        else:
            assert response.status_code == 302, f"{method.__name__.upper()} {url}"
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_page_then_the_desk(client):
    UserFactory(username="eddie", role="editor")
    page = client.get(reverse("login"))
    assert "Log in to Claimdesk" in shown(page)
    response = client.post(reverse("login"), {"username": "eddie", "password": PASSWORD})
    assert response["Location"] == reverse("claims:claim_list")
    assert client.get(reverse("claims:claim_list")).status_code == 200


@pytest.mark.django_db
def test_login_returns_to_the_page_asked_for(client):
    UserFactory(username="eddie", role="editor")
    response = client.post(reverse("login"), {"username": "eddie", "password": PASSWORD, "next": "/?status=new"})
    assert response["Location"] == "/?status=new"


@pytest.mark.django_db
def test_wrong_password_is_explained(client):
    UserFactory(username="eddie", role="editor")
    response = client.post(reverse("login"), {"username": "eddie", "password": "wrong"})
    assert response.status_code == 200
    assert "That username and password do not match an account." in shown(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(editor_client):
    page = shown(editor_client.get(reverse("claims:claim_list")))
    assert f'action="{reverse("logout")}"' in page
    response = editor_client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert editor_client.get(reverse("claims:claim_list")).status_code == 302


@pytest.mark.django_db
def test_the_header_names_the_user_and_role(editor_client):
    page = shown(editor_client.get(reverse("claims:claim_list")))
    assert '<span class="role">editor</span>' in page
    assert "Admin</a>" not in page


@pytest.mark.django_db
def test_reviewers_get_a_link_to_the_admin(reviewer_client):
    assert "Admin</a>" in shown(reviewer_client.get(reverse("claims:claim_list")))
