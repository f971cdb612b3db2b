"""The legal and transparency pages, linked from every page's footer and reachable by anyone,
signed in or not: « Mentions légales », « Données personnelles », « Droit à l'image : les règles ».

The retention periods on « Données personnelles » are read from :mod:`privacy.retention`, and what
the adoption dashboard measures from :mod:`accounts.adoption` (the dashboard's own list), so the
page says what the code does."""

from django.shortcuts import render

from accounts import adoption

from . import retention


def legal_notice_view(request):
    return render(request, "privacy/legal/mentions_legales.html")


def personal_data_view(request):
    rows = [{"data": rule.data, "duration": rule.duration()} for rule in retention.RULES]
    context = {"retention_rows": rows, "measures": adoption.measures()}
    return render(request, "privacy/legal/donnees_personnelles.html", context)


def image_rights_view(request):
    return render(request, "privacy/legal/droit_a_l_image.html")
