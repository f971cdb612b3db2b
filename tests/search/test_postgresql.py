"""The PostgreSQL path: the ``fr_unaccent`` configuration, stored ``tsvector``s, French stems, ranking.

Run only on PostgreSQL (the integrator's suite); SQLite has its own fallback, tested beside.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from news.search import post_index
from search.models import Entry

from ..news.factories import PostFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL seulement : la recherche plein texte en français",
    ),
]


def _found(client, q):
    response = client.get(reverse("search:results"), {"q": q, "type": "actualites"})
    return [r.url for r in response.context["groups"][0]["results"]] if response.context["groups"] else []


def test_the_migration_made_the_configuration_and_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('fr_unaccent', 'Évaluations des écoles')::text")
        assert cursor.fetchone()[0] == "'ecol':3 'evalu':1"
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector_gin'")
        assert "gin (vector)" in cursor.fetchone()[0]


def test_the_vector_is_stored_by_the_helper():
    post = PostFactory(title="Les évaluations nationales")
    post_index(post)
    vector = Entry.objects.values_list("vector", flat=True).get(kind="actualites", object_id=post.pk)
    assert "'evalu':2A" in vector


def test_french_stems_and_accents(client_as, teacher):
    post = PostFactory(title="Calendrier de l’évaluation", body="<p>Les écoles de Mirebeau participent.</p>")
    post_index(post)
    client = client_as(teacher)
    for typed in ("évaluations", "EVALUATION", "ecole", "Écoles de Mirebeau"):
        assert _found(client, typed) == [post.get_absolute_url()], typed


def test_a_title_match_ranks_first(client_as, teacher):
    in_text = PostFactory(title="Informations", body="<p>Le dictaphone des cahiers.</p>")
    in_title = PostFactory(title="Le dictaphone en classe")
    for post in (in_text, in_title):
        post_index(post)
    assert _found(client_as(teacher), "dictaphone") == [in_title.get_absolute_url(), in_text.get_absolute_url()]


def test_the_query_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_entry WHERE vector @@ plainto_tsquery('fr_unaccent', 'dictaphone')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "search_entry_vector_gin" in plan
