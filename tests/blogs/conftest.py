"""Fixtures of the blog tests: a blog read by the teachers and written by the counsellor, a public one."""

import pytest

from accounts.audiences import AudienceKind
from blogs.models import Blog, Post

from .factories import BlogFactory, PostFactory


@pytest.fixture
def blog(counsellor):
    """Read by teachers and directors, written by the digital counsellor; comments published at once."""
    return BlogFactory(
        title="Le blog des enseignants",
        slug="blog-enseignants",
        audience=AudienceKind.TEACHERS,
        comment_policy=Blog.CommentPolicy.IMMEDIATE,
        contributors=[counsellor],
    )


@pytest.fixture
def post(blog, counsellor):
    return PostFactory(blog=blog, author=counsellor, title="Digipad en classe")


@pytest.fixture
def public_blog(director, school):
    blog = BlogFactory(
        title="La vie de l’école",
        slug="vie-ecole",
        owner_kind=Blog.OwnerKind.SCHOOL,
        audience=AudienceKind.STRUCTURES,
        is_public=True,
        comment_policy=Blog.CommentPolicy.NONE,
        contributors=[director],
    )
    blog.owner_structures.set([school])
    blog.audience_structures.set([school])
    return blog


@pytest.fixture
def public_post(public_blog, director):
    return PostFactory(blog=public_blog, author=director, title="Le potager de l’école")


@pytest.fixture
def draft(blog, counsellor):
    return PostFactory(
        blog=blog, author=counsellor, title="Brouillon secret", status=Post.Status.DRAFT, published_at=None
    )
