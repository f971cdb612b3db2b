"""A real S3 API on loopback (moto's standalone server), for the tests of media on shared storage.

``s3_server`` starts the server once per test session, on a free port of 127.0.0.1; ``s3_media``
points ``settings.STORAGES["default"]`` at a new bucket of it for one test, with the options
production uses (``ent/settings.py``, ``ENT_MEDIA_S3_*``). Without moto the tests that need it
skip, or fail when the services are required (CI).
"""

import logging
import socket
import uuid

import pytest
from django.conf import settings

S3_KEYS = {"access_key": "ent-test", "secret_key": "ent-test-secret", "region_name": "eu-west-3"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto S3 server running in a thread of this process."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        if settings.ENT_REQUIRE_SERVICES:
            pytest.fail("Service requis manquant : moto[server] n’est pas installé (requirements-dev.txt).")
        pytest.skip("moto[server] n’est pas installé : pas de serveur S3 de test.")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_storage_settings(endpoint_url: str, bucket: str) -> dict:
    """``STORAGES["default"]`` for a bucket of that endpoint, as ``ENT_MEDIA_S3_*`` make it."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            **S3_KEYS,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }


def create_bucket(endpoint_url: str, bucket: str) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
        region_name=S3_KEYS["region_name"],
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_KEYS["region_name"]})


@pytest.fixture
def s3_media(s3_server, settings):
    """The media of this test on a bucket of its own on the S3 server; returns the bucket's name."""
    bucket = f"ent-test-{uuid.uuid4().hex[:16]}"
    create_bucket(s3_server, bucket)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(s3_server, bucket)}
    return bucket


def bucket_names() -> list[str]:
    """Every object name in the current S3 storage's bucket (sorted), as storage names."""
    from django.core.files.storage import default_storage

    return sorted(obj.key for obj in default_storage.bucket.objects.all())
