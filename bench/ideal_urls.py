"""The ideal page: no middleware, one indexed query of 20 posts, one small template."""

from django.shortcuts import render
from django.urls import path

from news.models import Post


def ideal_view(request):
    posts = Post.objects.filter(status="publie").order_by("-published_at").only("title", "summary", "published_at")[:20]
    return render(request, "bench/ideal.html", {"posts": posts})


urlpatterns = [path("", ideal_view)]
