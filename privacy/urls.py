from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("medias/<uuid:public_id>/", views.media_declare_view, name="media-declare"),
    path("medias/<uuid:public_id>/flouter/", views.media_blur_view, name="media-blur"),
    path("<slug:code>/", views.registry_view, name="registry"),
    path("<slug:code>/demandes/nouvelle/", views.request_create_view, name="request-create"),
    path("<slug:code>/demandes/<int:pk>/", views.request_detail_view, name="request-detail"),
    path("<slug:code>/demandes/<int:pk>/formulaire.pdf", views.request_pdf_view, name="request-pdf"),
    path("<slug:code>/demandes/<int:pk>/importer/", views.import_view, name="request-import"),
    path(
        "<slug:code>/demandes/<int:pk>/importer/modele.csv", views.import_template_view, name="request-import-template"
    ),
    path(
        "<slug:code>/demandes/<int:pk>/reponses/<int:decision_pk>/retirer/",
        views.decision_withdraw_view,
        name="decision-withdraw",
    ),
]
