"""Pages are gzipped by the application itself (a deployment without nginx gets it too), never a
streamed file, an X-Accel-Redirect, a byte range or what is not text (ARCHITECTURE.md)."""

import gzip

import pytest
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ent.middleware import PageGZipMiddleware

PAGE = '<!DOCTYPE html><html lang="fr"><body>' + "<p>Bonjour, voici la page.</p>" * 50 + "</body></html>"


def _through(response, encoding="gzip"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=encoding)
    return PageGZipMiddleware(lambda request: response)(request)


@pytest.mark.django_db
def test_a_page_comes_back_gzipped_with_vary(client):
    url = reverse("accounts:accessibility")
    plain = client.get(url)
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    # The same page (its CSRF token and CSP nonce aside, new in every answer).
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert html.count("<") == plain.content.decode().count("<")
    assert len(response.content) < len(plain.content) / 2


def test_the_middleware_compresses_html_losslessly():
    response = _through(HttpResponse(PAGE, content_type="text/html; charset=utf-8"))
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode() == PAGE
    assert not _through(HttpResponse(PAGE), encoding="identity").has_header("Content-Encoding")


@pytest.mark.parametrize(
    "make",
    [
        lambda: FileResponse(iter([PAGE.encode()]), content_type="text/plain"),
        lambda: StreamingHttpResponse(iter([PAGE.encode()]), content_type="text/csv"),
        lambda: HttpResponse(PAGE, content_type="image/svg+xml; charset=utf-8", headers={"X-Accel-Redirect": "/x"}),
        lambda: HttpResponse(PAGE, content_type="text/plain", status=206, headers={"Content-Range": "bytes 0-9/99"}),
        lambda: HttpResponse(PAGE.encode(), content_type="application/pdf"),
        lambda: HttpResponse(PAGE, content_type="text/html", headers={"Content-Encoding": "br"}),
    ],
    ids=["file", "stream", "accel-redirect", "range", "pdf", "already-encoded"],
)
def test_what_must_not_be_compressed_is_not(make):
    response = _through(make())
    assert response.get("Content-Encoding") in (None, "br")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == PAGE.encode()
