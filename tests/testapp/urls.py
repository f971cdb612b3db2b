"""The site's URLs plus the test-only pages: ``@pytest.mark.urls("tests.testapp.urls")``."""

from django.urls import include, path

from ent import urls as site_urls

from . import views

testapp_patterns = (
    [
        path("dictaphone/", views.dictaphone_view, name="dictaphone"),
        path("cibles-tactiles/", views.touch_targets_view, name="touch-targets"),
        path("cibles-tactiles.css", views.touch_targets_css, name="touch-targets-css"),
    ],
    "testapp",
)

urlpatterns = [path("essais/", include(testapp_patterns)), *site_urls.urlpatterns]

handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
handler429 = site_urls.handler429
