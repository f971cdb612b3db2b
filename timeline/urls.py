from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("", views.frise_view, name="frise"),
    path("a-venir/", views.upcoming_view, name="upcoming"),
    path("echeances/", views.deadlines_view, name="deadlines"),
    path("evenements/nouveau/", views.event_create_view, name="event-create"),
    path("evenements/<int:pk>/", views.event_detail_view, name="event-detail"),
    path("evenements/<int:pk>/modifier/", views.event_update_view, name="event-update"),
    path("evenements/<int:pk>/supprimer/", views.event_delete_view, name="event-delete"),
    path("evenements/<int:pk>/agenda.ics", views.event_ics_view, name="event-ics"),
    path("abonnement/", views.subscription_view, name="subscription"),
    path("abonnement/choix/", views.subscription_choices_view, name="subscription-choices"),
    path("agenda/<slug:token>.ics", views.feed_view, name="feed"),
]
