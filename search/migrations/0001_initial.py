import django.contrib.postgres.search
from django.db import migrations, models

# PostgreSQL only: ``unaccent``, a French configuration that ignores accents, the GIN index.
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION fr_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    "CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON search_entry USING gin (vector)",
]
BACKWARD = ["DROP INDEX IF EXISTS search_entry_vector_gin"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40, verbose_name="type")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="objet")),
                ("title", models.CharField(max_length=300, verbose_name="titre")),
                ("body", models.TextField(blank=True, verbose_name="texte")),
                ("place", models.CharField(blank=True, max_length=300, verbose_name="où")),
                ("url", models.CharField(max_length=500, verbose_name="adresse")),
                ("date", models.DateTimeField(blank=True, null=True, verbose_name="date")),
                ("school_year", models.CharField(blank=True, max_length=9, verbose_name="année scolaire")),
                ("title_key", models.TextField(blank=True, editable=False)),
                ("key", models.TextField(blank=True, editable=False)),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "entrée de la recherche",
                "verbose_name_plural": "entrées de la recherche",
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="search_entry_unique")],
                "indexes": [models.Index(fields=["kind", "school_year", "-date"], name="search_entry_kind_idx")],
            },
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
