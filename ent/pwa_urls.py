"""The installable app's URLs, at the site's root (a service worker's scope is the folder it is served from)."""

from django.urls import path

from . import pwa

urlpatterns = [
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="web-manifest"),
    path("hors-connexion/", pwa.offline, name="offline"),
]
