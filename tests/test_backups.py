"""`make backup` / `make restore`: a seeded database and its media, backed up, restored into a new
database and a new storage, compared (row counts of every table, every file byte for byte)."""

import json
import random
import shutil
import uuid
from contextlib import contextmanager

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from accounts.models import Role
from ent import backups
from tests.factories import MessageFactory, SchoolFactory, make_member
from tests.uploads import samples
from uploads.services import media_upload


def _seed():
    schools = SchoolFactory.create_batch(3)
    people = [make_member(Role.TEACHER, school) for school in schools for _ in range(2)]
    MessageFactory.create_batch(4, sender=people[0])
    for person in people[:3]:
        media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=person, alt_text="La cour")
    return people


def _restore_into_new_database(folder, name_or_path, tmp_path, settings):
    """Point a second alias at a new database, a new media storage at a new folder, restore there."""
    database = {**connection.settings_dict, "NAME": name_or_path}
    settings.MEDIA_ROOT = tmp_path / "medias-restaurees"
    manifest = backups.restore(folder, database=database)
    return manifest, backups.table_counts(database)


def _assert_same(folder, manifest, counts, media_before):
    assert manifest == json.loads((folder / backups.MANIFEST).read_text())
    assert counts == manifest["lignes"]
    assert counts["accounts_user"] == 6 and counts["uploads_mediafile"] == 3
    assert counts["mail_message"] >= 4
    assert sorted(manifest["fichiers"]) == sorted(media_before)
    assert backups.media_names() == sorted(media_before)
    for name in random.sample(sorted(media_before), 3):  # a sample of files, byte for byte
        with default_storage.open(name, "rb") as handle:
            assert handle.read() == media_before[name]


def _media_contents():
    result = {}
    for name in backups.media_names():
        with default_storage.open(name, "rb") as handle:
            result[name] = handle.read()
    return result


@contextmanager
def _new_database(tmp_path):
    """A new, empty database of the kind the tests run on: a file on SQLite, a database on PostgreSQL."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restauree.sqlite3")
        return
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.fail("pg_dump et pg_restore sont nécessaires (paquet postgresql-client).")
    name = f"ent_restauree_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database(tmp_path, settings):
    """On the database the tests run on: SQLite's backup API locally, pg_dump / pg_restore in CI."""
    _seed()
    media_before = _media_contents()
    call_command("backup", dossier=str(tmp_path / "sauvegardes"))
    (folder,) = (tmp_path / "sauvegardes").iterdir()
    if connection.vendor == "postgresql":
        assert (folder / backups.PG_DUMP).stat().st_size > 0
    with _new_database(tmp_path) as database:
        manifest, counts = _restore_into_new_database(folder, database, tmp_path, settings)
        _assert_same(folder, manifest, counts, media_before)


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_differs_from_its_manifest_is_refused(tmp_path, settings):
    _seed()
    folder = backups.backup(tmp_path / "sauvegardes")
    manifest = json.loads((folder / backups.MANIFEST).read_text())
    manifest["lignes"]["accounts_user"] += 1
    (folder / backups.MANIFEST).write_text(json.dumps(manifest))

    with (
        _new_database(tmp_path) as database,
        pytest.raises(backups.BackupError, match="accounts_user: 6 rows, 7 backed up"),
    ):
        _restore_into_new_database(folder, database, tmp_path, settings)
