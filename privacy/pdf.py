"""The printed authorisation form of a request (WeasyPrint, A4, tagged PDF/UA-1, in French).

One sheet per pupil, pre-filled (school, class, pupil, the project, the media and channels, the
form's version and validity), with one box per guardian to tick « j'accepte » / « je refuse », the
date and the signature, and how to withdraw. Nothing is fetched: the document has no image and
WeasyPrint's fetcher refuses every URL.
"""

from django.template.loader import render_to_string
from PIL import ImageFile

from .models import Channel, ConsentRequest, Medium

_LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import CSS, HTML  # noqa: E402 - see notebooks.book.pdf
from weasyprint.urls import URLFetcher  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _LOAD_TRUNCATED_IMAGES


class NoFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        raise ValueError(f"Adresse non autorisée dans le formulaire : {url}")


def request_form_html(consent_request: ConsentRequest, pupils) -> str:
    context = {
        "request": consent_request,
        "school": consent_request.school,
        "pupils": pupils or [None],
        "media": [(label, value in consent_request.media) for value, label in Medium.choices],
        "channels": [(label, value in consent_request.channels) for value, label in Channel.choices],
    }
    return render_to_string("privacy/request_form_pdf.html", context)


def request_form_pdf(consent_request: ConsentRequest, pupils) -> bytes:
    fetcher = NoFetcher()
    html = HTML(string=request_form_html(consent_request, pupils), url_fetcher=fetcher)
    css = CSS(string=render_to_string("privacy/request_form_pdf.css"), url_fetcher=fetcher)
    return html.write_pdf(stylesheets=[css], pdf_variant="pdf/ua-1", pdf_tags=True)
