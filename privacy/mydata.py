"""« Mes données », from the profile: what the ENT holds about me and why, and my archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from . import export, retention
from .models import DataExport


@login_required
@require_http_methods(["GET", "POST"])
def my_data_view(request):
    if request.method == "POST":
        export.export_request(user=request.user)
        messages.success(request, "Votre archive est en préparation : rechargez cette page dans quelques minutes.")
        return redirect("mydata:index")
    exports = DataExport.objects.filter(user=request.user)[:5]
    rows = [{"data": rule.data, "duration": rule.duration()} for rule in retention.RULES]
    return render(
        request,
        "privacy/my_data.html",
        {"exports": exports, "retention_rows": rows, "export_days": retention.EXPORT_DAYS},
    )


@login_required
def my_data_download_view(request, public_id):
    taken = export.export_take(user=request.user, public_id=public_id)
    if taken is None or not taken.file:
        raise Http404
    return FileResponse(taken.file.open("rb"), as_attachment=True, filename="mes-donnees-ent.zip")


app_name = "mydata"

urlpatterns = [
    path("profil/mes-donnees/", my_data_view, name="index"),
    path("profil/mes-donnees/<uuid:public_id>/archive.zip", my_data_download_view, name="download"),
]
