"""The school cycles and the disciplines, the tags every post may take (tools are added as posts name them)."""

from django.db import migrations
from django.utils.text import slugify

from ent.text import french_sort_key

CYCLES = ["Cycle 1", "Cycle 2", "Cycle 3"]
DISCIPLINES = [
    "Français",
    "Mathématiques",
    "Questionner le monde",
    "Sciences et technologie",
    "Histoire-géographie",
    "Enseignement moral et civique",
    "Langues vivantes",
    "Arts plastiques",
    "Éducation musicale",
    "Tous domaines",
]


def create_tags(apps, schema_editor):
    Tag = apps.get_model("blogs", "Tag")
    for kind, names in (("cycle", CYCLES), ("discipline", DISCIPLINES)):
        for name in names:
            Tag.objects.get_or_create(
                kind=kind, name=name, defaults={"slug": slugify(f"{kind}-{name}"), "sort_name": french_sort_key(name)}
            )


class Migration(migrations.Migration):
    dependencies = [("blogs", "0001_initial")]

    operations = [migrations.RunPython(create_tags, migrations.RunPython.noop)]
