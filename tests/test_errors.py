"""The error pages speak French and keep the layout; the 500 page needs no database."""

import pytest
from django.test import RequestFactory

from ent import views


@pytest.fixture
def request_(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/quelque-part/")
    request.user = AnonymousUser()
    return request


def test_403_is_french(request_):
    response = views.permission_denied(request_)
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_404_is_french(request_):
    response = views.page_not_found(request_)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_429_is_french(request_):
    response = views.too_many_requests(request_)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_500_is_french_and_renders_without_database(request_, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = views.server_error(request_)
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()
