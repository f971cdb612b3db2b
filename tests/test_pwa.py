"""The installable app's files as the server sends them: the service worker at the root, the
manifest, the offline page, and the check refusing production without a VAPID key."""

import json

import pytest
from django.test import override_settings

from ent import checks, pwa
from notifications.devices import device_label


def test_the_service_worker_is_served_at_the_root_for_the_whole_site(client, db):
    response = client.get("/sw.js?v=abc&s=network")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    source = response.content.decode()
    assert 'const OFFLINE_URL = "/hors-connexion/"' in source
    assert 'self.addEventListener("push"' in source


def test_every_page_links_the_manifest_and_registers_the_worker_without_inline_script(client, teacher):
    client.force_login(teacher)
    html = client.get("/profil/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'<meta name="ent-service-worker" content="{pwa.service_worker_url().replace("&", "&amp;")}">' in html
    assert '<script src="/static/ent/pwa.js" defer></script>' in html
    assert "<script>" not in html


def test_the_cache_is_named_after_the_static_files(settings):
    pwa.static_version.cache_clear()
    settings.ENT_RELEASE = "2026.12-1"
    try:
        assert pwa.service_worker_url() == "/sw.js?v=2026.12-1&s=network"
    finally:
        pwa.static_version.cache_clear()


def test_the_manifest_is_french_with_every_icon(client, db):
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "ENT de circonscription"
    assert [icon["sizes"] for icon in manifest["icons"] if icon["purpose"] == "any"] == [
        f"{size}x{size}" for size in (48, 72, 96, 128, 144, 152, 192, 256, 384, 512)
    ]
    assert [icon["src"] for icon in manifest["icons"] if icon["purpose"] == "maskable"] == [
        "/static/ent/icons/maskable-192.png",
        "/static/ent/icons/maskable-512.png",
    ]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_offline_page_is_french_and_holds_nothing_personal(client, teacher, signed_in):
    if signed_in:
        client.force_login(teacher)
    response = client.get("/hors-connexion/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Vous êtes hors connexion" in html
    assert response["Cache-Control"] == "no-cache"


def test_the_display_settings_are_in_the_footer(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert 'aria-controls="fr-theme-modal"' in html
    assert "Paramètres d’affichage" in html
    assert 'id="fr-theme-modal"' in html
    assert "Thème sombre" in html


@pytest.mark.parametrize(
    ("key", "errors"), [("", ["ent.E003"]), ("abc", ["ent.E003"]), ("UMKIzhQEmLraEZiSmaL-FOJ-mkp491Zm9wKGavl3Klw", [])]
)
def test_production_refuses_to_start_without_its_vapid_key(key, errors):
    with override_settings(DEBUG=False, ENT_VAPID_PRIVATE_KEY=key):
        assert [error.id for error in checks.check_vapid_key(None)] == errors
    with override_settings(DEBUG=True, ENT_VAPID_PRIVATE_KEY=""):
        assert checks.check_vapid_key(None) == []


def test_development_generates_its_vapid_key_once(settings, tmp_path):
    from notifications import push

    settings.ENT_VAPID_PRIVATE_KEY = ""
    settings.ENT_VAPID_DEV_KEY_FILE = tmp_path / "vapid-dev.key"
    first = push.vapid_public_key()

    assert settings.ENT_VAPID_DEV_KEY_FILE.stat().st_mode & 0o777 == 0o600
    assert push.vapid_public_key() == first
    assert len(first) == 87  # base64url of a 65-byte uncompressed P-256 point


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
            "Chrome sur Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari sur iPhone",
        ),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox sur Windows"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge sur Windows",
        ),
        ("", "Navigateur inconnu"),
    ],
)
def test_a_device_is_named_from_its_browser(agent, label):
    assert device_label(agent) == label
