"""A notebook's page is kept per person and address (``ent.fragments``) and shows every change at
once: the page, its blocks and copies (``models.page_version``), its lock (an upsert without a
signal; an expiry without a write), its media (processed, described, withheld, released, deleted),
people's names, the notebook's rules and the person's rights."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.imports import PersonRow
from accounts.models import Role, User
from ent import fragments, versions
from notebooks import services, views
from notebooks.models import Block, Page, PageEdition, page_version
from privacy import services as privacy_services
from privacy.models import GuardianDecision
from tests.admin_forms import admin_form_data
from tests.conftest import signed_in_client
from tests.factories import MembershipFactory, NotebookBlockFactory, TeamFactory
from tests.privacy.conftest import grant, registry  # noqa: F401  (a fixture)
from tests.uploads.samples import jpeg_upload
from uploads import services as upload_services
from uploads.tasks import process_media

pytestmark = pytest.mark.django_db
A_MORNING = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10, 0)))


def _url(page, **query) -> str:
    url = reverse("notebooks:page-detail", args=[page.notebook.slug, page.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _get(client, page, **query) -> str:
    response = client.get(_url(page, **query))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _status(client, page) -> int:
    return client.get(_url(page)).status_code


def _content(text: str) -> str:
    """What the page keeps: from its article to « Retour au cahier » (the CSRF tokens, the request's, left out)."""
    kept = text[text.index('<article aria-labelledby="titre-page">') :].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", kept)


@pytest.fixture
def drawn(monkeypatch):
    """How many times the page's content was read and drawn (its context made)."""
    calls = []
    shown = views._page_shown

    def spied(request, slug, pk):
        calls.append(request.user.pk)
        return shown(request, slug, pk)

    monkeypatch.setattr(views, "_page_shown", spied)
    return calls


def _save(page, actor, **changes):
    page.refresh_from_db()
    fields = {"version": page.version, "title": page.title, "class_label": page.class_label, **changes}
    return services.page_save(actor=actor, page=page, **fields)


def test_the_page_is_kept_then_drawn_again_after_a_change(teacher, page, drawn):
    client = signed_in_client(teacher)
    with CaptureQueriesContext(connection) as cold:
        first = _get(client, page)
    with CaptureQueriesContext(connection) as warm:
        again = _get(client, page)
    assert len(drawn) == 1 and _content(again) == _content(first)
    assert len(warm) == 1 < len(cold)  # the person only: neither the notebook, the page, its blocks nor its lock
    _save(page, teacher, title="Les jonquilles du jardin")
    text = _get(client, page)
    assert len(drawn) == 2
    assert '<h1 id="titre-page" class="fr-mb-1w">Les jonquilles du jardin</h1>' in text
    assert "<title>Les jonquilles du jardin — Inventaire de printemps" in text
    assert 'aria-current="page">Les jonquilles du jardin<' in text


def test_blocks_written_through_the_editor_show_at_once(teacher, page):
    client = signed_in_client(teacher)
    assert "Texte de la classe." in _get(client, page)
    # The title alone, the editor going on (a move of no block): the page's update() and the lock's
    # renewal, neither with a signal, are all that is written.
    _save(page, teacher, title="Les jonquilles (suite)", class_label="CE2", move=(0, "bas"))
    assert "Les jonquilles (suite)" in _get(client, page) and "CE2 de Thomas Enseignant" in _get(client, page)
    block = page.blocks.get()
    _save(page, teacher, blocks={block.pk: {"body": "<p>Les jonquilles ont fleuri.</p>"}})
    assert "Les jonquilles ont fleuri." in _get(client, page)
    _save(page, teacher, new_block=services.NewBlock(kind="texte", body="<p>Un deuxième bloc.</p>"))
    text = _get(client, page)
    assert text.index("Les jonquilles ont fleuri.") < text.index("Un deuxième bloc.")
    _save(page, teacher, move=(block.pk, "bas"))
    text = _get(client, page)
    assert text.index("Un deuxième bloc.") < text.index("Les jonquilles ont fleuri.")
    _save(page, teacher, remove=block.pk)
    assert "Les jonquilles ont fleuri." not in _get(client, page)


def test_a_recordings_transcript_and_a_block_written_directly_show_at_once(teacher, page):
    client = signed_in_client(teacher)
    _get(client, page)
    NotebookBlockFactory(page=page, kind=Block.Kind.AUDIO, body="", transcript="Nous chantons le printemps.")
    assert "Enregistrement retiré." in _get(client, page) and "Nous chantons le printemps." in _get(client, page)


def test_the_editors_lock_shows_until_it_is_let_go_lifted_or_expired(teacher, counsellor, page):
    """A lock is taken and renewed by an upsert (no signal) and expires without any write."""
    with time_machine.travel(A_MORNING, tick=False) as clock:
        manager, editor = signed_in_client(counsellor), signed_in_client(teacher)
        assert "En cours de modification" not in _get(manager, page)
        assert editor.get(reverse("notebooks:page-edit", args=[page.notebook.slug, page.pk])).status_code == 200
        text = _get(manager, page)
        assert "En cours de modification par Thomas Enseignant (jusqu’à 10 h 10 au plus tard)" in text
        assert "Lever le verrou" in text
        clock.shift(dt.timedelta(minutes=4))
        assert editor.post(reverse("notebooks:page-lock", args=[page.notebook.slug, page.pk])).status_code == 200
        assert "(jusqu’à 10 h 14 au plus tard)" in _get(manager, page)  # the heartbeat renewed it
        assert editor.post(reverse("notebooks:page-unlock", args=[page.notebook.slug, page.pk])).status_code == 302
        assert "En cours de modification" not in _get(manager, page)

        editor.get(reverse("notebooks:page-edit", args=[page.notebook.slug, page.pk]))
        assert "En cours de modification par Thomas Enseignant" in _get(manager, page)
        clock.shift(dt.timedelta(minutes=10, seconds=1))  # expired: nothing was written
        text = _get(manager, page)
        assert "En cours de modification" not in text and "Lever le verrou" not in text

        editor.get(reverse("notebooks:page-edit", args=[page.notebook.slug, page.pk]))
        assert "En cours de modification" in _get(manager, page)
        assert services.lock_lift(actor=counsellor, page=page)
        assert "En cours de modification" not in _get(manager, page)


def test_an_images_states_show_at_once(teacher, counsellor, page):
    """Sent, processed, described, withheld, released, deleted: the media's own writes say it."""
    writer, manager = signed_in_client(teacher), signed_in_client(counsellor)
    _get(writer, page), _get(manager, page)
    saved = _save(page, teacher, new_block=services.NewBlock(kind="image", file=jpeg_upload(), alt="Des jonquilles"))
    media = saved.blocks.get(kind="image").media
    text = _get(writer, page)
    assert "Image en cours de traitement…" in text
    assert "Élèves visibles ou entendus sur cette photo" in text  # its uploader's link
    assert "Élèves visibles" not in _get(manager, page)

    process_media(media.pk)  # the task's writes (a save): ready
    text = _get(writer, page)
    assert "en cours de traitement" not in text and 'alt="Des jonquilles"' in text

    upload_services.media_set_alt_text(media=media, alt_text="Des jonquilles en fleurs")
    assert 'alt="Des jonquilles en fleurs"' in _get(writer, page)
    assert 'alt="Des jonquilles en fleurs"' in _get(manager, page)  # kept as it is now

    assert upload_services.media_withhold(media_ids=[media.pk], reason="l’autorisation a été retirée.") == 1
    text = _get(manager, page)
    assert "Image retirée : l’autorisation a été retirée." in text and "<picture>" not in text
    assert upload_services.media_release(media_ids=[media.pk]) == 1
    assert 'alt="Des jonquilles en fleurs"' in _get(manager, page)

    upload_services.media_delete(media=media)  # the block's media is set to null by an update (no signal)
    text = _get(manager, page)
    assert "Image retirée." in text and "Des jonquilles" not in text


def test_a_refused_recording_says_why_at_once(teacher, page):
    from tests.uploads.samples import upload

    client = signed_in_client(teacher)
    _get(client, page)
    saved = _save(
        page,
        teacher,
        new_block=services.NewBlock(kind="audio", file=upload("son.mp3", b"ID3" + b"\0" * 64), transcript=""),
    )
    media = saved.blocks.get(kind="audio").media
    assert "Enregistrement en cours de traitement…" in _get(client, page)
    upload_services.media_record_failure(media_id=media.pk, reason="Ce fichier n’est pas un son.", keep_original=False)
    assert "Enregistrement refusé : Ce fichier n’est pas un son." in _get(client, page)


def test_a_withdrawn_consent_withholds_the_published_image_at_once(registry, director, counsellor, rased_member, page):  # noqa: F811
    """The privacy withdrawal writes by ``update()`` (``media_withhold``): its own version says it."""
    media = upload_services.media_upload(
        file=jpeg_upload("classe.jpg"), kind="image", uploaded_by=counsellor, alt_text="La classe", holder=page
    )
    process_media(media.pk)
    NotebookBlockFactory(page=page, kind=Block.Kind.IMAGE, media=media, body="", position=1)
    privacy_services.media_declare(actor=counsellor, media=media, pupils=[registry["elodie"]])
    grant(director, registry["request"], registry["elodie"])
    services.page_propose(actor=page.authors.get(), page=Page.objects.get(pk=page.pk))
    services.page_publish(actor=counsellor, page=Page.objects.get(pk=page.pk))
    reader = signed_in_client(rased_member)
    assert 'alt="La classe"' in _get(reader, page)

    decision = GuardianDecision.objects.get(pupil=registry["elodie"], guardian=1)
    privacy_services.decision_withdraw(actor=director, decision=decision)
    text = _get(reader, page)
    assert "Image retirée : l’autorisation pour Élodie M. a été retirée." in text and 'alt="La classe"' not in text


def test_proposing_publishing_and_sending_back_show_at_once_to_each(teacher, counsellor, rased_member, page):
    writer, manager, reader = signed_in_client(teacher), signed_in_client(counsellor), signed_in_client(rased_member)
    assert "Proposer la page" in _get(writer, page) and "Publier la page" not in _get(manager, page)
    assert _status(reader, page) == 404  # a draft

    services.page_propose(actor=teacher, page=Page.objects.get(pk=page.pk))
    text = _get(writer, page)
    assert "Proposée" in text and "Proposer la page" not in text and "Modifier la page" not in text
    assert "Publier la page" in _get(manager, page) and "Renvoyer la page" in _get(manager, page)

    services.page_return(actor=counsellor, page=Page.objects.get(pk=page.pk), comment="Ajoutez une photo.")
    text = _get(writer, page)
    assert "Page renvoyée : ce qu’il faut reprendre" in text and "Ajoutez une photo." in text
    assert "Publier la page" not in _get(manager, page)

    services.page_propose(actor=teacher, page=Page.objects.get(pk=page.pk))
    services.page_publish(actor=counsellor, page=Page.objects.get(pk=page.pk))
    text = _get(reader, page)
    assert "Texte de la classe." in text and "Version publiée le" in text and "Modifier la page" not in text
    assert "Publiée" in _get(writer, page)

    block = page.blocks.get()
    _save(page, teacher, blocks={block.pk: {"body": "<p>Texte repris.</p>"}})  # back to a draft
    text = _get(writer, page)
    assert "Texte repris." in text and "Voir la version publiée" in text
    assert "Texte de la classe." in _get(writer, page, copie="publiee")  # another address
    assert "Texte de la classe." in _get(reader, page) and "Texte repris." not in _get(reader, page)


def test_a_published_copy_written_directly_shows_at_once(rased_member, published_page):
    """A frozen copy is written by publishing (the page saved with it), or directly: a data fix."""
    reader = signed_in_client(rased_member)
    assert "Les abeilles butinent." in _get(reader, published_page)
    edition = PageEdition.objects.get(pk=published_page.published_edition_id)
    edition.content["blocks"][0]["html"] = "<p>Les abeilles butinent les fleurs.</p>"
    edition.save()
    assert "Les abeilles butinent les fleurs." in _get(reader, published_page)


def test_people_renamed_show_at_once_through_their_profile_the_admin_and_an_import(teacher, admin_user, school, page):
    writer = signed_in_client(teacher)
    assert "École élémentaire Jean Raffarin, CE1 de Thomas Enseignant" in _get(writer, page)
    response = writer.post(reverse("accounts:profile"), {"first_name": "Thomas", "last_name": "Instituteur"})
    assert response.status_code == 302
    assert "CE1 de Thomas Instituteur" in _get(writer, page)

    admin = signed_in_client(admin_user)
    url = reverse("admin:accounts_user_change", args=[teacher.pk])
    response = admin.post(url, admin_form_data(admin.get(url), first_name="Thom"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "CE1 de Thom Instituteur" in _get(writer, page)

    row = PersonRow(
        email=teacher.email, first_name="Tom", last_name="Instituteur", structure_id=school.pk, role=Role.TEACHER
    )
    account_services.people_import(actor=admin_user, rows=[row])  # a bulk_update: no signal
    assert "CE1 de Tom Instituteur" in _get(writer, page)

    school.name = "École Jean-Raffarin"
    school.save()
    assert "École Jean-Raffarin, CE1 de Tom Instituteur" in _get(writer, page)


def test_the_lock_holders_name_shows_renamed(teacher, counsellor, page):
    manager = signed_in_client(counsellor)
    services.lock_take(actor=teacher, page=page)
    assert "En cours de modification par Thomas Enseignant" in _get(manager, page)
    account_services.user_update_profile(user=User.objects.get(pk=teacher.pk), first_name="Tom", last_name="Martin")
    assert "En cours de modification par Tom Martin" in _get(manager, page)


def test_authors_added_or_removed_from_either_side_show_at_once(teacher, other_teacher, page):
    writer = signed_in_client(teacher)
    assert "CE1 de Thomas Enseignant" in _get(writer, page)
    page.authors.add(other_teacher)
    assert "CE1 de Olga Autre, Thomas Enseignant" in _get(writer, page)
    other_teacher.notebook_pages.remove(page)
    assert "CE1 de Thomas Enseignant<" in _get(writer, page)
    other_teacher.notebook_pages.add(page)
    assert "Olga Autre" in _get(writer, page)
    other_teacher.notebook_pages.clear()
    assert "Olga Autre" not in _get(writer, page)
    page.authors.add(other_teacher)
    assert "Olga Autre" in _get(writer, page)
    other_teacher.delete()  # their rows of the authors go with them, without an m2m signal
    assert "Olga Autre" not in _get(writer, page)


def test_each_person_sees_their_own_rights_and_a_new_role_at_once(
    teacher, counsellor, other_teacher, rased_member, page, published_page
):
    """The same addresses drawn for four people; then a reader joins the district team (a
    membership: their rights), and a teacher is made an administrator (no membership, no signal:
    an administrator's copies are kept apart)."""
    writer, manager, author, reader = (signed_in_client(u) for u in (teacher, counsellor, other_teacher, rased_member))
    text = _get(writer, page)
    assert "Modifier la page" in text and "Proposer la page" in text and "Lever le verrou" not in text
    assert "Supprimer la page" in _get(manager, page)
    assert _status(author, page) == _status(reader, page) == 404
    assert "Modifier la page" in _get(author, published_page)
    for client in (reader, writer):
        text = _get(client, published_page)
        assert "Les abeilles butinent." in text and "Modifier la page" not in text and "Supprimer" not in text

    MembershipFactory(user=rased_member, structure=TeamFactory(), role=Role.CPC)
    assert "Supprimer la page" in _get(reader, published_page)
    assert _status(reader, page) == 200

    User.objects.filter(pk=teacher.pk).update(is_superuser=True)
    assert "Supprimer la page" in _get(writer, published_page)


def test_the_notebooks_rules_and_dates_show_at_once(teacher, counsellor, admin_user, page, notebook):
    writer = signed_in_client(teacher)
    assert "Modifier la page" in _get(writer, page)
    admin = signed_in_client(admin_user)
    url = reverse("admin:notebooks_notebook_change", args=[notebook.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = admin.post(url, admin_form_data(admin.get(url), closes_on=yesterday.isoformat()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Modifier la page" not in _get(writer, page)  # closed: no longer written
    services.notebook_update(actor=counsellor, notebook=notebook, closes_on=timezone.localdate())
    assert "Modifier la page" in _get(writer, page)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):  # closed at midnight, without a write
        assert "Modifier la page" not in _get(writer, page)
    services.notebook_update(actor=counsellor, notebook=notebook, title="Inventaire d’été")
    text = _get(writer, page)
    assert "<title>Les jonquilles — Inventaire d’été" in text and ">Inventaire d’été</a>" in text


def test_a_page_deleted_answers_404_at_once(teacher, counsellor, page):
    writer = signed_in_client(teacher)
    _get(writer, page)
    services.page_delete(actor=counsellor, page=Page.objects.get(pk=page.pk))
    assert _status(writer, page) == 404


def test_a_form_of_the_kept_page_posts_with_the_requests_own_token(teacher, page):
    client = signed_in_client(teacher, enforce_csrf_checks=True)
    client.get(_url(page))
    kept = [client.get(_url(page)).content.decode() for _ in range(2)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1) for text in kept]
    assert tokens[0] != tokens[1] and fragments.CSRF_PLACEHOLDER not in kept[1]  # masked anew each time
    form = kept[1].split('action="' + reverse("notebooks:page-propose", args=[page.notebook.slug, page.pk]))[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(
        reverse("notebooks:page-propose", args=[page.notebook.slug, page.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).status == Page.Status.PROPOSED


class _DrawnAgain:
    """A client whose every request finds the page stale (``page_version`` bumped): drawn again,
    while the person's roles and header counts stay kept."""

    def __init__(self, client, page):
        self.client, self.page = client, page

    def get(self, *args, **kwargs):
        versions.bump(page_version(self.page.pk))
        return self.client.get(*args, **kwargs)


@pytest.mark.parametrize(("drawn_again", "queries"), [(True, 8), (False, 1)])
def test_the_pages_cost_does_not_grow_with_its_blocks(teacher, page, assert_flat_queries, drawn_again, queries):
    """Pinned drawn (the person, the notebook, the page, its authors, whether the teacher is named
    among the contributors (as a person, by their school), its blocks and its lock) and kept (the
    person only), at N and 10×N blocks."""

    def add_blocks(count):
        for _ in range(count):
            NotebookBlockFactory(page=page, body="<p>Encore un bloc.</p>")

    client = signed_in_client(teacher)
    assert_flat_queries(
        _DrawnAgain(client, page) if drawn_again else client,
        _url(page),
        add_blocks,
        rows=3,
        queries=queries,
        shown=lambda response: response.content.decode().count('class="notebooks-block '),
        expect=(4, 31),
    )
