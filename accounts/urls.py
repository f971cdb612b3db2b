from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("ecoles/", views.directory_view, name="directory"),
    path("ecoles/<slug:code>/", views.structure_detail_view, name="structure-detail"),
    path("profil/", views.profile_view, name="profile"),
    path("applis/", views.app_links_view, name="app-links"),
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
]
