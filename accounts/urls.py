from django.urls import path

from . import dashboard, views

app_name = "accounts"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("ecoles/", views.directory_view, name="directory"),
    path("ecoles/<slug:code>/", views.structure_detail_view, name="structure-detail"),
    path("profil/", views.profile_view, name="profile"),
    path("applis/", views.app_links_view, name="app-links"),
    path("accessibilite/", views.accessibility_view, name="accessibility"),
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
    path("tableau-de-bord/", dashboard.dashboard_view, name="dashboard"),
    path("tableau-de-bord/<slug:table>.csv", dashboard.dashboard_csv_view, name="dashboard-csv"),
]
