from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("recherche/", views.results_view, name="results"),
    path("aide/", views.help_index_view, name="help"),
    path("aide/tutoriels/", views.tutorials_view, name="tutorials"),
    path("aide/<slug:slug>/", views.help_page_view, name="help-page"),
]
