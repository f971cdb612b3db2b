"""Backups: the database (``pg_dump`` in custom format, or SQLite's own backup) plus every media
file, in one folder per backup under ``ENT_BACKUP_DIR``; and their restoration.

A backup folder holds ``base.dump`` (PostgreSQL) or ``base.sqlite3``, ``medias.tar`` (every file
of the media storage, on disk or on S3, under its storage name) and ``manifeste.json`` (when, the
row count of every table, the name and SHA-256 of every file), which restoring checks against.
``make backup`` / ``make restore BACKUP=<folder>`` call the ``backup`` and ``restore`` commands.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

MANIFEST = "manifeste.json"
MEDIA_ARCHIVE = "medias.tar"
PG_DUMP = "base.dump"
SQLITE_COPY = "base.sqlite3"


class BackupError(Exception):
    pass


def _pg_env(db: dict) -> dict:
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _model_tables() -> list[str]:
    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})


def table_counts(database: dict | None = None) -> dict[str, int]:
    """The number of rows of every model's table (the manifest's, and what a restore is checked
    by), in ``database`` (a ``DATABASES`` entry; by default the site's), through its own connection."""
    database = database or connections["default"].settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        raw = sqlite3.connect(database["NAME"])
        existing = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    else:
        import psycopg

        env = _pg_env(database)
        raw = psycopg.connect(
            dbname=env["PGDATABASE"],
            host=env.get("PGHOST"),
            port=env.get("PGPORT"),
            user=env.get("PGUSER"),
            password=env.get("PGPASSWORD"),
        )
        existing = {row[0] for row in raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    try:
        counts = {}
        for table in _model_tables():
            if table in existing:
                counts[table] = raw.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        return counts
    finally:
        raw.close()


def media_names(storage=None) -> list[str]:
    """Every file name of the media storage, walked from its root (disk or S3)."""
    storage = storage or default_storage
    names, folders = [], [""]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        names += [f"{folder}/{name}" if folder else name for name in files]
        folders += [f"{folder}/{name}" if folder else name for name in subfolders]
    return sorted(names)


def backup(destination: Path | str | None = None, *, using: str = "default") -> Path:
    """Write a backup folder under ``destination`` (default ``ENT_BACKUP_DIR``); return its path."""
    root = Path(destination or settings.ENT_BACKUP_DIR)
    folder = root / timezone.now().strftime("ent-%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    db = connections[using].settings_dict
    counts = table_counts(db)
    if connections[using].vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={folder / PG_DUMP}"], _pg_env(db))
    elif connections[using].vendor == "sqlite":
        connections[using].ensure_connection()
        with sqlite3.connect(folder / SQLITE_COPY) as target:
            connections[using].connection.backup(target)
    else:
        raise BackupError(f"No backup for the {connections[using].vendor} database.")
    files = {}
    with tarfile.open(folder / MEDIA_ARCHIVE, "w") as archive:
        for name in media_names():
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            files[name] = hashlib.sha256(data).hexdigest()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    manifest = {
        "date": timezone.now().isoformat(),
        "base": connections[using].vendor,
        "lignes": counts,
        "fichiers": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return folder


def restore(folder: Path | str, *, database: dict | None = None) -> dict:
    """Restore a backup folder into ``database`` (a ``DATABASES`` entry, by default the site's; it
    should be new or empty) and the media storage; then check the row counts and every file
    against the manifest. Returns the manifest."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    database = database or connections["default"].settings_dict
    postgresql = database["ENGINE"] == "django.db.backends.postgresql"
    if (folder / PG_DUMP).exists():
        if not postgresql:
            raise BackupError("This backup is of a PostgreSQL database.")
        _close_connections_to(database)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "-d",
                database["NAME"],
                str(folder / PG_DUMP),
            ],
            _pg_env(database),
        )
    else:
        if postgresql:
            raise BackupError("This backup is of a SQLite database.")
        _close_connections_to(database)
        shutil.copyfile(folder / SQLITE_COPY, database["NAME"])
    with tarfile.open(folder / MEDIA_ARCHIVE) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            data = archive.extractfile(member).read()
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            saved = default_storage.save(member.name, ContentFile(data))
            if saved != member.name:
                raise BackupError(f"{member.name} was restored as {saved}.")
    problems = check(manifest, database=database)
    if problems:
        raise BackupError("Restored, but it differs from the backup: " + "; ".join(problems[:20]))
    return manifest


def _close_connections_to(database: dict) -> None:
    for connection in connections.all(initialized_only=True):
        if connection.settings_dict["NAME"] == database["NAME"]:
            connection.close()


def check(manifest: dict, *, database: dict | None = None) -> list[str]:
    """What differs between the manifest and the database and storage (empty when they match)."""
    problems = []
    counts = table_counts(database)
    for table, expected in manifest["lignes"].items():
        if counts.get(table) != expected:
            problems.append(f"{table}: {counts.get(table)} rows, {expected} backed up")
    for name, digest in manifest["fichiers"].items():
        if not default_storage.exists(name):
            problems.append(f"{name} missing")
            continue
        with default_storage.open(name, "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() != digest:
                problems.append(f"{name} differs")
    return problems
