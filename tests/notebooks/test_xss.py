"""Whatever people type in a notebook is shown as text (rich text: cleaned by nh3), never run."""

from django.urls import reverse

from notebooks import services
from notebooks.models import Notebook
from tests.factories import NotebookBlockFactory, NotebookPageFactory

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


def test_every_field_of_a_notebook_and_its_pages_is_escaped(client_as, counsellor, teacher, school):
    notebook = services.notebook_create(
        actor=counsellor,
        title=f"Titre {SCRIPT}",
        subtitle=f"Sous-titre {IMG}",
        theme=f"Thème {SCRIPT}",
        presentation=f"<p>Présentation</p>{SCRIPT}<p onclick='x()'>clic</p>",
        audience="district",
        opens_on="2026-01-01",
        closes_on="2100-01-01",
        contributor_structures=[school],
    )
    notebook = Notebook.objects.get(pk=notebook.pk)
    page = NotebookPageFactory(
        notebook=notebook, title=f"Page {SCRIPT}", class_label=f"CE1 {IMG}", school=school, author=teacher
    )
    NotebookBlockFactory(page=page, body=f"<p>Texte</p>{SCRIPT}{IMG}<a href='javascript:alert(3)'>lien</a>")
    NotebookBlockFactory(page=page, kind="audio", body="", transcript=f"Dit {SCRIPT}")
    NotebookBlockFactory(page=page, kind="image", body="", caption=f"Légende {IMG}")
    services.page_propose(actor=teacher, page=page)
    services.page_return(actor=counsellor, page=page, comment=f"Commentaire {SCRIPT}")

    client = client_as(counsellor)
    urls = [
        reverse("notebooks:notebook-list"),
        notebook.get_absolute_url(),
        page.get_absolute_url(),
        reverse("notebooks:page-edit", args=[notebook.slug, page.pk]),
        reverse("notebooks:notebook-edit", args=[notebook.slug]),
        reverse("accounts:home"),
    ]
    for url in urls:
        text = client.get(url).content.decode()
        assert "<script>alert" not in text, url
        assert 'onerror="alert' not in text, url
        assert "javascript:alert" not in text, url
        assert "onclick" not in text, url
    detail = client.get(page.get_absolute_url()).content.decode()
    assert "Dit &lt;script&gt;" in detail and "Commentaire &lt;script&gt;" in detail
    services.page_propose(actor=teacher, page=page)
    queue = client.get(reverse("notebooks:queue", args=[notebook.slug])).content.decode()
    assert "<script>alert" not in queue and "Page &lt;script&gt;" in queue
