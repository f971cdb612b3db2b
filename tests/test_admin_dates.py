"""Dates typed in the admin are bounded like every other date (ent.forms: 2000–2100)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from blogs.models import Blog
from blogs.models import Post as BlogPost
from news.models import Post as NewsPost
from timeline.models import Event, SchoolHoliday

pytestmark = pytest.mark.django_db

DATE_RANGE_MESSAGE = "Choisissez une date entre 2000 et 2100."
# (model, field, admin widget data for 0001-01-01 00:00)
CASES = [
    # Publication dates are read-only in the admin (set by the services); the expiry is typed.
    (NewsPost, "expires_at", {"expires_at_0": "01/01/0001", "expires_at_1": "00:00"}),
    (
        NewsPost,
        "registration_closes_at",
        {"registration_closes_at_0": "31/12/9999", "registration_closes_at_1": "23:59"},
    ),
    (NewsPost, "ack_due_date", {"ack_due_date": "01/01/0001"}),
    (BlogPost, "week_start", {"week_start": "01/01/0001"}),
    (Blog, "series_start", {"series_start": "31/12/9999"}),
    (Event, "start_date", {"start_date": "01/01/0001"}),
    (Event, "starts_at", {"starts_at_0": "01/01/0001", "starts_at_1": "00:00"}),
    (SchoolHoliday, "start", {"start": "31/12/9999"}),
]


@pytest.mark.parametrize(("model", "field", "data"), CASES)
def test_admin_forms_refuse_dates_out_of_range(admin_user, model, field, data):
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = admin.site._registry[model].get_form(request)

    form = form_class(data=data)

    assert not form.is_valid()
    assert DATE_RANGE_MESSAGE in form.errors[field]
