from django.urls import path

from . import views
from .feeds import PostAtomFeed

app_name = "news"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("semaine/", views.week_view, name="week"),
    path("rediger/", views.write_view, name="write"),
    path("flux/", views.feed_links_view, name="feed-links"),
    path("flux/regenerer/", views.feed_links_regenerate_view, name="feed-links-regenerate"),
    path("atom/<str:key>/<slug:feed>/", PostAtomFeed(), name="atom"),
    path("billet/<int:pk>/", views.post_detail_view, name="post-detail"),
    path("billet/<int:pk>/modifier/", views.post_edit_view, name="post-edit"),
    path("billet/<int:pk>/soumettre/", views.post_submit_view, name="post-submit"),
    path("billet/<int:pk>/publier/", views.post_publish_view, name="post-publish"),
    path("billet/<int:pk>/renvoyer/", views.post_return_view, name="post-return"),
    path("billet/<int:pk>/archiver/", views.post_archive_view, name="post-archive"),
    path("billet/<int:pk>/historique/", views.post_revisions_view, name="post-revisions"),
    path("billet/<int:pk>/pris-connaissance/", views.acknowledge_view, name="acknowledge"),
    path("billet/<int:pk>/accuses-de-lecture/", views.acknowledgements_view, name="acknowledgements"),
    path("billet/<int:pk>/accuses-de-lecture.csv", views.acknowledgements_csv_view, name="acknowledgements-csv"),
    path("billet/<int:pk>/relancer/", views.remind_view, name="remind"),
    path("billet/<int:pk>/participer/", views.registration_view, name="register"),
    path("billet/<int:pk>/participer/retirer/", views.registration_withdraw_view, name="register-withdraw"),
    path("billet/<int:pk>/inscriptions/", views.registrations_view, name="registrations"),
    path("billet/<int:pk>/inscriptions.csv", views.registrations_csv_view, name="registrations-csv"),
    path("<slug:feed>/", views.feed_view, name="feed"),
    path("<slug:feed>/archives/", views.archive_view, name="archive"),
    path("<slug:feed>/nouveau/", views.post_create_view, name="post-create"),
]
