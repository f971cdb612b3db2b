"""accounts.selectors: reads about structures."""

import pytest

from accounts.selectors import structures_with_ids
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_structures_with_ids_keeps_only_those_in_name_order(django_assert_num_queries):
    tilleuls = SchoolFactory(name="École des Tilleuls")
    acacias = SchoolFactory(name="École des Acacias")
    SchoolFactory(name="École des Bouleaux")

    with django_assert_num_queries(1):
        found = list(structures_with_ids(ids={tilleuls.pk, acacias.pk}))

    assert found == [acacias, tilleuls]
    assert list(structures_with_ids(ids=[])) == []
