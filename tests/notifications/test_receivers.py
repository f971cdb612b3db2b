"""Each kind declares who can receive it; the preferences page offers a person only those kinds."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from notifications import kinds
from notifications.kinds import Frequency
from notifications.models import EmailSettings, KindPreference
from notifications.services import preferences_save
from tests.blogs.factories import BlogFactory
from tests.factories import SchoolFactory, make_member

PREFERENCES = reverse("notifications:preferences")
DIRECTORS_INFO = "Nouvelle information aux directeurs"
TO_VALIDATE = "Proposition d’actualité à valider"
TO_MODERATE = "Commentaire à valider"
REPORTED = "Commentaire signalé"
ACK_REMINDER = "Rappel d’accusé de lecture"
REVIEWED = "Votre proposition d’actualité a été relue"


def _field(key: str) -> str:
    return "kind_" + key.replace(".", "__")


def _offered(response) -> set[str]:
    return {kind.key for kind in response.context["form"].offered}


def test_a_teacher_is_not_offered_what_she_can_never_receive(teacher, client_as):
    response = client_as(teacher).get(PREFERENCES)

    assert response.status_code == 200
    for label in (DIRECTORS_INFO, TO_VALIDATE, TO_MODERATE, REPORTED, ACK_REMINDER):
        assert label not in response.text, label
    assert "Nouvelle actualité" in response.text
    assert REVIEWED in response.text  # she proposes posts
    assert {"news.directors", "news.proposal_submitted", "news.ack_reminder"}.isdisjoint(_offered(response))
    assert {"blogs.comment_pending", "blogs.comment_reported"}.isdisjoint(_offered(response))


def test_a_director_is_offered_the_directors_information_and_reminders(director, client_as):
    text = client_as(director).get(PREFERENCES).text

    assert DIRECTORS_INFO in text
    assert ACK_REMINDER in text
    assert TO_VALIDATE not in text
    assert TO_MODERATE not in text


def test_the_district_team_is_offered_proposals_to_validate_but_no_reminder(counsellor, client_as):
    BlogFactory()  # the district team writes in, and moderates, every blog
    text = client_as(counsellor).get(PREFERENCES).text

    assert TO_VALIDATE in text
    assert DIRECTORS_INFO in text
    assert TO_MODERATE in text and REPORTED in text
    assert ACK_REMINDER not in text
    assert REVIEWED not in text  # the team publishes, it does not propose


def test_a_blog_contributor_is_offered_the_comments_to_moderate(teacher, school, client_as):
    BlogFactory(contributors=[])  # a blog she does not write in changes nothing
    assert TO_MODERATE not in client_as(teacher).get(PREFERENCES).text

    blog = BlogFactory()
    blog.contributor_structures.set([school])

    text = client_as(teacher).get(PREFERENCES).text
    assert TO_MODERATE in text and REPORTED in text


def test_posting_a_kind_one_cannot_receive_is_ignored_and_changes_nothing(teacher, client_as):
    data = {_field(kind.key): kind.default_frequency for kind in kinds.receivable_by(teacher)}
    data["quiet_hours"] = "on"
    data[_field("news.directors")] = Frequency.NEVER
    data[_field("news.proposal_submitted")] = Frequency.WEEKLY

    response = client_as(teacher).post(PREFERENCES, data)

    assert response.status_code == 302
    saved = dict(KindPreference.objects.filter(user=teacher).values_list("kind", "frequency"))
    assert "news.directors" not in saved and "news.proposal_submitted" not in saved
    assert saved["news.published"] == Frequency.DAILY


def test_the_service_refuses_a_kind_one_cannot_receive_and_saves_nothing(teacher):
    with pytest.raises(PermissionDenied):
        preferences_save(
            user=teacher,
            frequencies={"news.published": Frequency.NEVER, "news.directors": Frequency.NEVER},
            quiet_hours=False,
        )

    assert not KindPreference.objects.filter(user=teacher).exists()
    assert not EmailSettings.objects.filter(user=teacher).exists()


def test_a_kind_without_receivers_reaches_everyone_and_a_conflicting_rule_is_not_a_new_kind(teacher):
    assert kinds.get("tests.news").can_receive(teacher)
    assert not kinds.get("tests.news").can_receive(None)
    # Registering again (a second ready()) with another function of the same meaning is harmless.
    kinds.register("tests.news", label="Nouvelle actualité (test)", app_label="tests_news",
                   app_name="Actualités (test)", default_frequency=Frequency.DAILY, receivers=lambda user: True)  # fmt: skip
    assert kinds.get("tests.news").can_receive(teacher)
    with pytest.raises(TypeError):
        kinds.register("tests.other", label="x", app_label="x", app_name="x", default_frequency=Frequency.DAILY,
                       receivers="directors")  # fmt: skip


@pytest.mark.parametrize("person", ["teacher", "director", "counsellor"])
def test_preferences_page_costs_a_fixed_number_of_queries(person, request, client_as, django_assert_num_queries):
    user = request.getfixturevalue(person)
    client = client_as(user)
    client.get(PREFERENCES)  # fills the per-process caches (content types, sessions)
    with django_assert_num_queries(QUERIES) as first:
        client.get(PREFERENCES)
    for _ in range(5):
        blog = BlogFactory()
        blog.contributor_structures.set([SchoolFactory()])
        make_member(Role.DIRECTOR, SchoolFactory())
    # New structures renew everyone's memberships (accounts.roles): read again once, and nothing more.
    with django_assert_num_queries(len(first.captured_queries) + 1):
        client.get(PREFERENCES)


# The user, e-mail settings, explicit choices, whether they write in a blog (once for both comment
# kinds); the session, their memberships and the bell come from the cache.
QUERIES = 5  # with whether they manage a notebook
