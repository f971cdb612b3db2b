"""Whatever is typed or pasted in the body, what is stored and shown is harmless."""

import re

import pytest
from django.urls import reverse

from news.models import Post
from news.services import PostInput, post_create

from .factories import PostFactory

PAYLOADS = [
    '<script>alert("xss")</script><p>ok</p>',
    '<img src="x" onerror="alert(1)"><p>ok</p>',
    '<p onclick="alert(1)" onmouseover="alert(2)">ok</p>',
    '<a href="javascript:alert(1)">lien</a>',
    '<a href="JaVaScRiPt:alert(1)">lien</a>',
    '<a href="&#106;avascript:alert(1)">lien</a>',
    '<iframe src="https://example.com"></iframe><p>ok</p>',
    '<p style="background:url(javascript:alert(1)); width: expression(alert(1))">ok</p>',
    "<svg><script>alert(1)</script></svg><p>ok</p>",
    '<object data="x.swf"></object><embed src="x.swf"><p>ok</p>',
    '<form action="https://evil.example"><input name="a"></form><p>ok</p>',
    "<style>body{background:red}</style><p>ok</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]

DANGEROUS = re.compile(
    r"<script|<iframe|<object|<embed|<form|<style|<svg|\bon\w+\s*=|javascript:|expression\(|style=", re.I
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_removed_when_saved_by_any_means(payload, db):
    post = PostFactory(body=payload)
    post.refresh_from_db()
    assert not DANGEROUS.search(post.body), post.body


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_posted_through_the_form_come_out_harmless(payload, counsellor, teacher, client_as):
    client = client_as(counsellor)
    response = client.post(
        reverse("news:post-create", args=["pedagogie"]),
        {"title": "Piège", "summary": "Résumé", "body": payload, "audience_choice": "all", "action": "publish"},
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Piège")
    assert not DANGEROUS.search(post.body)
    page = client_as(teacher).get(post.get_absolute_url()).content.decode()
    body = page.split('<div class="news-body fr-mb-4w">', 1)[1].split("</div>", 1)[0]
    assert not DANGEROUS.search(body), body


def test_legitimate_formatting_survives(counsellor):
    body = (
        "<h2>Titre</h2><p><strong>gras</strong> <em>italique</em> <u>souligné</u> <s>barré</s></p>"
        "<ul><li>un</li></ul><ol><li>deux</li></ol><blockquote><p>citation</p></blockquote>"
        '<p><a href="https://eduscol.education.fr/">Éduscol</a> <a href="mailto:ce.0860001a@ac-poitiers.fr">écrire</a></p>'
    )
    post = post_create(
        actor=counsellor, feed="pedagogie", data=PostInput(title="Mise en forme", summary="r", body=body)
    )
    for fragment in (
        "<h2>Titre</h2>",
        "<strong>gras</strong>",
        "<em>italique</em>",
        "<u>souligné</u>",
        "<s>barré</s>",
        "<li>un</li>",
        "<blockquote>",
        'href="https://eduscol.education.fr/"',
        'href="mailto:',
    ):
        assert fragment in post.body


def test_rows_written_without_the_model_are_sanitised_on_display(teacher, client_as):
    post = PostFactory(body="<p>ok</p>")
    Post.objects.filter(pk=post.pk).update(body="<p>ok</p><script>alert(1)</script><img src=x onerror=alert(1)>")
    page = client_as(teacher).get(post.get_absolute_url()).content.decode()
    body = page.split('<div class="news-body fr-mb-4w">', 1)[1].split("</div>", 1)[0]
    assert "<p>ok</p>" in body and not DANGEROUS.search(body)
