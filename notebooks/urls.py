from django.urls import path

from . import views

app_name = "notebooks"

urlpatterns = [
    path("", views.notebook_list_view, name="notebook-list"),
    path("nouveau/", views.notebook_create_view, name="notebook-create"),
    path("<slug:slug>/", views.notebook_detail_view, name="notebook-detail"),
    path("<slug:slug>/modifier/", views.notebook_edit_view, name="notebook-edit"),
    path("<slug:slug>/supprimer/", views.notebook_delete_view, name="notebook-delete"),
    path("<slug:slug>/validation/", views.queue_view, name="queue"),
    path("<slug:slug>/livre/", views.book_status_view, name="book-status"),
    path("<slug:slug>/livre/demander/", views.book_export_view, name="book-export"),
    path("<slug:slug>/livre/<int:pk>/telecharger/", views.book_download_view, name="book-download"),
    path("<slug:slug>/pages/nouvelle/", views.page_create_view, name="page-create"),
    path("<slug:slug>/pages/<int:pk>/", views.page_detail_view, name="page-detail"),
    path("<slug:slug>/pages/<int:pk>/modifier/", views.page_edit_view, name="page-edit"),
    path("<slug:slug>/pages/<int:pk>/verrou/", views.page_lock_view, name="page-lock"),
    path("<slug:slug>/pages/<int:pk>/quitter/", views.page_unlock_view, name="page-unlock"),
    path("<slug:slug>/pages/<int:pk>/lever-le-verrou/", views.page_lift_lock_view, name="page-lift-lock"),
    path("<slug:slug>/pages/<int:pk>/proposer/", views.page_propose_view, name="page-propose"),
    path("<slug:slug>/pages/<int:pk>/publier/", views.page_publish_view, name="page-publish"),
    path("<slug:slug>/pages/<int:pk>/renvoyer/", views.page_return_view, name="page-return"),
    path("<slug:slug>/pages/<int:pk>/deplacer/", views.page_move_view, name="page-move"),
    path("<slug:slug>/pages/<int:pk>/supprimer/", views.page_delete_view, name="page-delete"),
]
