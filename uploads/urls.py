from django.urls import path, register_converter

from . import views


class VariantConverter:
    regex = "display|display-jpeg|thumb|thumb-jpeg|audio|file"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(VariantConverter, "media_variant")

app_name = "uploads"

urlpatterns = [
    path("<uuid:public_id>/etat/", views.status_view, name="status"),
    path("<uuid:public_id>/<media_variant:variant>/", views.serve_view, name="serve"),
]
