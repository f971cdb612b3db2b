from django.contrib import admin
from django.urls import include, path

from accounts.views import signup_closed_view
from ent.views import health_view

admin.site.site_header = "Administration de l’ENT de circonscription"
admin.site.site_title = "ENT — administration"
admin.site.index_title = "Gestion des comptes et des contenus"

urlpatterns = [
    path("sante/", health_view, name="health"),
    path("accounts/signup/", signup_closed_view, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("fichiers/", include("uploads.urls")),
    path("notifications/", include("notifications.urls")),
    path("actualites/", include("news.urls")),
    path("frise/", include("timeline.urls")),
    path("blogs/", include("blogs.urls")),
    path("cahiers/", include("notebooks.urls")),
    path("messagerie/", include("mail.urls")),
    path("", include("ent.pwa_urls")),
    path("", include("search.urls")),
    path("droit-a-l-image/", include("privacy.urls")),
    path("ressources/", include("resources.urls")),
    path("", include("privacy.legal_urls")),
    path("", include("privacy.mydata")),
    path("", include("privacy.journal")),
    path("", include("accounts.urls")),
]

handler403 = "ent.views.permission_denied"
handler404 = "ent.views.page_not_found"
handler500 = "ent.views.server_error"
# allauth answers its rate limits with this one.
handler429 = "ent.views.too_many_requests"
