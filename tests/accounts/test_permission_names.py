"""The admin shows Django's permissions in French (a person's and a group's permissions)."""

import pytest
from django.contrib.auth.models import Permission

from accounts.permission_names import french_name, name_permissions_in_french

pytestmark = pytest.mark.django_db


def test_every_default_permission_is_named_in_french_after_migrate():
    # The test database was migrated: the receiver has run.
    assert Permission.objects.get(codename="change_user").name == "Peut modifier : personne"
    assert Permission.objects.get(codename="add_post", content_type__app_label="news").name == (
        "Peut ajouter : actualité"
    )
    assert Permission.objects.get(codename="add_emailaddress").name == "Peut ajouter : adresse électronique"
    assert not Permission.objects.filter(name__startswith="Can ").exists()


def test_a_permission_named_again_in_english_is_put_back_in_french():
    Permission.objects.filter(codename="view_structure").update(name="Can view structure")

    assert name_permissions_in_french() == 1

    assert Permission.objects.get(codename="view_structure").name == "Peut voir : structure"
    assert name_permissions_in_french() == 0


def test_a_model_s_own_permissions_keep_their_name():
    assert french_name("publish_post", "actualité") is None
    assert french_name("delete_event", "événement") == "Peut supprimer : événement"
