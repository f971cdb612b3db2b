from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("tout-lire/", views.mark_all_read_view, name="mark-all-read"),
    path("preferences/", views.preferences_view, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("appareils/", views.push_subscribe_view, name="push-subscribe"),
    path("appareils/<int:pk>/retirer/", views.push_unsubscribe_view, name="push-unsubscribe"),
    path("<int:pk>/", views.open_view, name="open"),
    path("<int:pk>/lue/", views.mark_read_view, name="mark-read"),
]
