"""The district's name on every page: read from the database once per process, one cache read per
request (its version), and shown changed on the next request after the admin edits it."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import context_processors
from accounts.models import District
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def _district_queries(log) -> int:
    return sum('"accounts_district"' in query["sql"] for query in log.captured_queries)


def _version_reads(spy) -> int:
    return sum(call.args[:1] == (context_processors.DISTRICT_VERSION_KEY,) for call in spy.call_args_list)


def test_the_name_is_read_once_per_process_and_its_version_once_per_request(client):
    DistrictFactory(name="Circonscription de Lencloître")
    url = reverse("accounts:accessibility")
    assert "ENT Circonscription de Lencloître" in client.get(url).text
    with mock.patch.object(cache, "get", wraps=cache.get) as spy, CaptureQueriesContext(connection) as log:
        text = client.get(url).text
    # The page shows the name several times (title, header, footer, the declaration's text).
    assert text.count("Circonscription de Lencloître") >= 3
    assert _version_reads(spy) == 1
    assert _district_queries(log) == 0


def test_a_name_changed_in_the_admin_shows_on_the_next_request(client_as, admin_user, client):
    district = DistrictFactory(name="Circonscription de Lencloître", academie="poitiers")
    url = reverse("accounts:accessibility")
    assert "ENT Circonscription de Lencloître" in client.get(url).text
    admin = client_as(admin_user)
    response = admin.post(
        reverse("admin:accounts_district_change", args=[district.pk]),
        {"name": "Circonscription de Châtellerault", "academie": "poitiers"},
    )
    assert response.status_code == 302
    assert District.objects.get().name == "Circonscription de Châtellerault"
    text = client.get(url).text
    assert "ENT Circonscription de Châtellerault" in text and "Lencloître" not in text


def test_another_process_keeps_its_name_until_the_version_changes(client):
    district = DistrictFactory(name="Circonscription de Lencloître")
    assert context_processors.district_name() == "Circonscription de Lencloître"
    # Written behind the signals' back (QuerySet.update): this process keeps what it read…
    District.objects.filter(pk=district.pk).update(name="Circonscription de Loudun")
    assert context_processors.district_name() == "Circonscription de Lencloître"
    # …until the version changes, as it does when any process saves the district.
    context_processors.district_changed()
    assert context_processors.district_name() == "Circonscription de Loudun"


def test_without_a_district_the_layout_says_circonscription(client):
    assert context_processors.district_name() == context_processors.DEFAULT_DISTRICT_NAME
