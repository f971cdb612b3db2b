from django.urls import path

from . import views
from .feeds import blog_feed

app_name = "blogs"

urlpatterns = [
    path("", views.blog_list_view, name="blog-list"),
    path("nouveau/", views.blog_create_view, name="blog-create"),
    path("commentaires/<int:pk>/supprimer/", views.comment_delete_view, name="comment-delete"),
    path("commentaires/<int:pk>/signaler/", views.comment_report_view, name="comment-report"),
    path("commentaires/<int:pk>/moderer/", views.comment_moderate_view, name="comment-moderate"),
    path("<slug:slug>/", views.blog_detail_view, name="blog-detail"),
    path("<slug:slug>/modifier/", views.blog_edit_view, name="blog-edit"),
    path("<slug:slug>/supprimer/", views.blog_delete_view, name="blog-delete"),
    path("<slug:slug>/planning/", views.planning_view, name="planning"),
    path("<slug:slug>/en-preparation/", views.preparation_view, name="preparation"),
    path("<slug:slug>/moderation/", views.moderation_view, name="moderation"),
    path("<slug:slug>/abonnement/", views.subscription_view, name="subscription"),
    path("<slug:slug>/archives/<int:year>/<int:month>/", views.blog_archive_view, name="archive"),
    path("<slug:slug>/etiquettes/<slug:tag_slug>/", views.blog_tag_view, name="tag"),
    path("<slug:slug>/flux.atom", blog_feed, name="feed"),
    path("<slug:slug>/flux/<str:key>.atom", blog_feed, name="private-feed"),
    path("<slug:slug>/ecrire/", views.post_create_view, name="post-create"),
    path("<slug:slug>/<int:pk>/", views.post_detail_view, name="post-short"),
    path("<slug:slug>/<int:pk>-<slug:post_slug>/", views.post_detail_view, name="post-detail"),
    path("<slug:slug>/<int:pk>/modifier/", views.post_edit_view, name="post-edit"),
    path("<slug:slug>/<int:pk>/supprimer/", views.post_delete_view, name="post-delete"),
    path("<slug:slug>/<int:pk>/commenter/", views.comment_create_view, name="comment-create"),
    path("<slug:slug>/<int:pk>/images/<int:image_pk>/retirer/", views.post_image_remove_view, name="post-image-remove"),
]
