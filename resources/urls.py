from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("dossiers/<int:pk>/", views.folder_view, name="folder"),
    path("dossiers/<int:pk>/ajouter/", views.document_create_view, name="document-create"),
    path("documents/<int:pk>/", views.document_view, name="document"),
    path("documents/<int:pk>/remplacer/", views.document_replace_view, name="document-replace"),
    path("documents/<int:pk>/telecharger/", views.download_view, name="download"),
]
