from django.urls import path

from . import legal

app_name = "legal"

urlpatterns = [
    path("mentions-legales/", legal.legal_notice_view, name="notice"),
    path("donnees-personnelles/", legal.personal_data_view, name="personal-data"),
    path("regles-du-droit-a-l-image/", legal.image_rights_view, name="image-rights"),
]
