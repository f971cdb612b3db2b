"""Posts keep only what the editor allows (nh3); comments are plain text, links made clickable."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from blogs.models import Post

from .factories import CommentFactory

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    "<p>Bonjour <strong>la classe</strong></p>"
    "<script>alert('script')</script>"
    '<img src="x" onerror="alert(\'img\')">'
    '<p><a href="javascript:alert(\'lien\')">piège</a> et <a href="https://digipad.app/">Digipad</a></p>'
    '<p onclick="alert(\'clic\')" style="color:red">Paragraphe</p>'
    '<iframe src="https://exemple.fr"></iframe>'
    "<h2>Un titre</h2>"
)


def test_a_hostile_post_body_is_made_harmless(client_as, counsellor, teacher, blog):
    client_as(counsellor).post(
        reverse("blogs:post-create", args=[blog.slug]),
        {"title": "<script>alert('titre')</script>Titre", "body": HOSTILE_BODY, "action": "publier"},
    )
    post = Post.objects.get()
    for forbidden in ("<script", "onerror", "javascript:", "onclick", "style=", "<iframe", "<img"):
        assert forbidden not in post.body
    assert "<strong>la classe</strong>" in post.body
    assert '<a href="https://digipad.app/"' in post.body
    assert "<h2>Un titre</h2>" in post.body

    page = client_as(teacher).get(post.get_absolute_url()).text
    for forbidden in ("<script>alert", "onerror", 'href="javascript:', "onclick", "<iframe"):
        assert forbidden not in page
    assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;Titre" in page


def test_a_post_saved_any_other_way_is_sanitised_too(blog, counsellor):
    post = Post.objects.create(blog=blog, author=counsellor, title="Admin", body=HOSTILE_BODY)
    assert "<script" not in post.body
    assert "onerror" not in post.body


def test_comments_are_escaped_and_their_links_clickable(client_as, teacher, director, post):
    CommentFactory(
        post=post,
        author=director,
        body="<script>alert('x')</script> <b>gras</b>\nVoir https://exemple.fr/page?a=1&b=2 et javascript:alert(1)",
    )
    page = client_as(teacher).get(post.get_absolute_url()).text
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;gras&lt;/b&gt;" in page
    assert (
        '<a href="https://exemple.fr/page?a=1&amp;b=2" rel="nofollow noopener">https://exemple.fr/page?a=1&amp;b=2</a>'
        in page
    )
    assert 'href="javascript:' not in page


def test_the_comment_filter_keeps_lines_and_escapes_everything():
    rendered = Template("{% load blog_extras %}{{ text|comment_text }}").render(
        Context({"text": 'Ligne 1\nLigne 2 "citée" <i>x</i> www.exemple.fr'})
    )
    assert rendered == (
        "<p>Ligne 1<br>Ligne 2 &quot;citée&quot; &lt;i&gt;x&lt;/i&gt; "
        '<a href="http://www.exemple.fr" rel="nofollow noopener">www.exemple.fr</a></p>'
    )
