"""The French admin of accounts: lists, actions (activate, invite, deactivate), forms and CSV imports."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import ADDITION, LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import imports, services
from accounts.models import AccountAction, Invitation, Membership, Role, Structure, User
from accounts.tasks import send_invitation
from accounts.validators import uai_check_letter
from audit.models import Event
from audit.selectors import history_of
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

PARIS = ZoneInfo("Europe/Paris")
USERS = reverse("admin:accounts_user_changelist")
STRUCTURES = reverse("admin:accounts_structure_changelist")
SCHOOL_IMPORT = reverse("admin:accounts_structure_import")
PEOPLE_IMPORT = reverse("admin:accounts_user_import")


@pytest.fixture
def admin_client(client_as, admin_user):
    return client_as(admin_user)


def invited_person(**fields):
    """An inactive person without a password, as the import creates them."""
    user = UserFactory(is_active=False, **fields)
    user.set_unusable_password()
    user.save()
    return user


def act(client, action, users):
    return client.post(USERS, {"action": action, "_selected_action": [u.pk for u in users]}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def state():
    """Everything an action or an import could change."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "is_active", "first_name", "last_name")),
        Event.objects.count(),
        Invitation.objects.count(),
        Structure.objects.count(),
        Membership.objects.count(),
        len(mail.outbox),
    )


# --- Reaching the admin ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_structure_changelist",
        "admin:accounts_structure_add",
        "admin:accounts_membership_changelist",
        "admin:audit_event_changelist",
        "admin:accounts_district_changelist",
        "admin:accounts_user_import",
        "admin:accounts_structure_import",
    ],
)
def test_admin_pages_are_reachable_by_a_superuser(admin_client, teacher, url):
    response = admin_client.get(reverse(url))

    assert response.status_code == 200


def test_change_pages_show_memberships_history_and_invitations(admin_client, admin_user, teacher, school):
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, 30, tzinfo=PARIS), tick=False):
        services.users_deactivate(actor=admin_user, users=[teacher])

    response = admin_client.get(reverse("admin:accounts_user_change", args=[teacher.pk]))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Qui a activé ce compte, et quand" in page
    assert "Compte désactivé" in page
    assert "Ada Admin" in page
    assert "12 mars 2026" in page
    assert "Aucune invitation : l’action « Activer et envoyer l’invitation »" in page
    assert school.name in page
    structure_page = admin_client.get(reverse("admin:accounts_structure_change", args=[school.pk]))
    assert str(teacher) in structure_page.content.decode()


@pytest.mark.parametrize(
    "person", ["anonymous", "teacher", "director", "counsellor", "inspector", "rased_member"], indirect=True
)
def test_people_without_admin_access_are_sent_to_the_admin_login_and_change_nothing(client_as, person, school):
    client = client_as(person)
    target = invited_person(email="cible@ac-poitiers.fr")
    before = state()

    listing = client.get(USERS)
    action = client.post(USERS, {"action": "activate_and_invite", "_selected_action": [target.pk]})
    deactivation = client.post(USERS, {"action": "deactivate", "_selected_action": [person.pk if person else 1]})
    upload = client.post(
        SCHOOL_IMPORT, {"file": SimpleUploadedFile("e.csv", b"UAI;Nom;Type;Commune\n0860001J;E;primaire;X\n")}
    )

    for response, url in ((listing, USERS), (action, USERS), (deactivation, USERS), (upload, SCHOOL_IMPORT)):
        assert response.status_code == 302
        assert response.url == f"{reverse('admin:login')}?next={url}"
    assert state() == before


def test_staff_without_import_permission_gets_403_and_no_import(client_as, school):
    staff = UserFactory(is_staff=True)
    client = client_as(staff)
    before = state()

    response = client.post(
        SCHOOL_IMPORT, {"file": SimpleUploadedFile("e.csv", b"UAI;Nom;Type;Commune\n0860001J;E;primaire;X\n")}
    )

    assert response.status_code == 403
    assert state() == before


# --- Lists -----------------------------------------------------------------------------------


def test_user_list_query_count_does_not_grow_with_rows(admin_client, assert_flat_queries):
    schools = SchoolFactory.create_batch(3)

    def add_people(count):
        for index in range(count):
            MembershipFactory(structure=schools[index % 3], role=Role.TEACHER)

    assert_flat_queries(
        admin_client,
        USERS,
        add_people,
        rows=10,
        queries=6,  # the viewer's roles, for the sidebar's "may add" questions, come from the shared cache
        shown=lambda response: len(response.context["cl"].result_list),
        expect=[11, 100],  # ten teachers and the administrator; then one page of 100
    )


def test_structure_list_query_count_does_not_grow_with_rows(admin_client, assert_flat_queries):
    def add_schools(count):
        for school in SchoolFactory.create_batch(count):
            MembershipFactory(structure=school)

    assert_flat_queries(
        admin_client,
        STRUCTURES,
        add_schools,
        rows=5,
        queries=5,  # idem
        shown=lambda response: (
            response.context["cl"].result_count,
            response.content.decode().count("1 membre"),
        ),
        expect=[(5, 5), (50, 50)],
    )


def test_user_list_shows_current_memberships_and_filters_by_role_structure_and_invitation(
    admin_client, school, teacher, director
):
    other = SchoolFactory(name="École maternelle Les Lilas")
    elsewhere = MembershipFactory(structure=other, role=Role.TEACHER).user
    ended = MembershipFactory(
        structure=school, role=Role.TEACHER, start_date=dt.date(2019, 9, 1), end_date=dt.date(2020, 7, 1)
    ).user
    never = invited_person(email="jamais@ac-poitiers.fr")

    def listed(query):
        return {user.pk for user in admin_client.get(USERS + query).context["cl"].result_list}

    page = admin_client.get(USERS).content.decode()
    assert f"Directeur·rice d’école — {school.name}" in page
    assert listed("?role=directeur") == {director.pk}
    assert listed(f"?structure={school.pk}") == {teacher.pk, director.pk}
    assert ended.pk not in listed("?role=enseignant")
    assert elsewhere.pk in listed("?role=enseignant")
    assert listed("?is_active__exact=0") == {never.pk}
    assert listed("?invitation=jamais") == {never.pk}
    assert never.pk not in listed("?invitation=mot-de-passe")
    assert listed("?q=Directrice") == {director.pk}


# --- Actions: activate and invite, reinvite, deactivate --------------------------------------


def test_activating_twice_sends_one_invitation(admin_client, admin_user, django_capture_on_commit_callbacks):
    person = invited_person(email="claire.dupin@ac-poitiers.fr", first_name="Claire")

    with django_capture_on_commit_callbacks(execute=True):
        first = act(admin_client, "activate_and_invite", [person])
    with django_capture_on_commit_callbacks(execute=True):
        second = act(admin_client, "activate_and_invite", [person])

    assert messages_of(first) == ["1 compte activé, 1 invitation envoyée."]
    assert messages_of(second) == [
        "0 compte activé, 0 invitation envoyée. Ces comptes étaient déjà activés et invités."
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["claire.dupin@ac-poitiers.fr"]
    assert "/invitation/" in mail.outbox[0].body
    person.refresh_from_db()
    assert person.is_active
    assert Invitation.objects.filter(user=person).count() == 1
    assert sorted(history_of(person).values_list("action", "actor")) == [
        (AccountAction.ACTIVATED, admin_user.pk),
        (AccountAction.INVITED, admin_user.pk),
    ]


def test_activation_message_counts_every_account(admin_client, django_capture_on_commit_callbacks):
    people = [invited_person() for _ in range(12)]
    with_password = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "activate_and_invite", [*people, with_password])

    assert messages_of(response) == [
        "13 comptes activés, 12 invitations envoyées. 1 personne a déjà un mot de passe : pas d’invitation."
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)


def test_a_repeated_task_sends_one_email(admin_user, django_capture_on_commit_callbacks):
    person = invited_person()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.users_activate_and_invite(actor=admin_user, users=[person])
    invitation = Invitation.objects.get(user=person)
    assert len(callbacks) == 1

    send_invitation(invitation.pk)
    send_invitation(invitation.pk)
    send_invitation.delay(invitation.pk)

    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert history_of(person).filter(action=AccountAction.INVITED).count() == 1


def test_a_task_for_a_deleted_invitation_or_a_deactivated_person_sends_nothing(admin_user, teacher):
    person = invited_person()
    services.users_activate_and_invite(actor=admin_user, users=[person])  # callbacks not run: nothing sent
    invitation = Invitation.objects.get(user=person)
    services.users_deactivate(actor=admin_user, users=[person])

    send_invitation(invitation.pk)
    send_invitation(987654)

    assert mail.outbox == []
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_reactivating_a_person_sends_a_new_invitation(admin_user, django_capture_on_commit_callbacks):
    person = invited_person()
    with django_capture_on_commit_callbacks(execute=True):
        services.users_activate_and_invite(actor=admin_user, users=[person])
    services.users_deactivate(actor=admin_user, users=[person])

    with django_capture_on_commit_callbacks(execute=True):
        result = services.users_activate_and_invite(actor=admin_user, users=[person])

    assert result == {"activated": 1, "invited": 1, "with_password": 0}
    assert len(mail.outbox) == 2


def test_deactivating_records_who_and_when_and_spares_the_actor(admin_client, admin_user, teacher, director):
    moment = dt.datetime(2026, 3, 12, 14, 5, tzinfo=PARIS)

    with time_machine.travel(moment, tick=False):
        response = act(admin_client, "deactivate", [teacher, director, admin_user])

    assert messages_of(response) == ["2 comptes désactivés. Votre propre compte n’a pas été désactivé."]
    assert set(User.objects.filter(is_active=False).values_list("pk", flat=True)) == {teacher.pk, director.pk}
    assert set(Event.objects.values_list("target_id", "action", "actor", "created_at")) == {
        (teacher.pk, AccountAction.DEACTIVATED, admin_user.pk, moment),
        (director.pk, AccountAction.DEACTIVATED, admin_user.pk, moment),
    }
    again = act(admin_client, "deactivate", [teacher])
    assert messages_of(again) == ["0 compte désactivé."]
    assert Event.objects.count() == 2


def test_activation_is_recorded_with_who_and_when(admin_client, admin_user, django_capture_on_commit_callbacks):
    person = invited_person()
    moment = dt.datetime(2026, 9, 1, 8, 0, tzinfo=PARIS)

    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        act(admin_client, "activate_and_invite", [person])

    activation = history_of(person).get(action=AccountAction.ACTIVATED)
    invitation = history_of(person).get(action=AccountAction.INVITED)
    assert (activation.actor, activation.created_at) == (admin_user, moment)
    assert (invitation.actor, invitation.created_at) == (admin_user, moment)


def test_reinvite_sends_again_once_the_link_expired_but_not_twice_on_a_double_click(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    person = invited_person()
    moment = dt.datetime(2026, 3, 1, 9, 0, tzinfo=PARIS)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.users_activate_and_invite(actor=admin_user, users=[person])
    assert len(mail.outbox) == 1
    inactive, with_password = invited_person(), UserFactory()

    with time_machine.travel(dt.datetime(2026, 3, 12, 9, 0, tzinfo=PARIS), tick=False):
        listed = {u.pk for u in admin_client.get(USERS + "?invitation=expire").context["cl"].result_list}
        with django_capture_on_commit_callbacks(execute=True):
            first = act(admin_client, "reinvite", [person, inactive, with_password])
        with django_capture_on_commit_callbacks(execute=True):
            second = act(admin_client, "reinvite", [person])

    assert listed == {person.pk}
    assert messages_of(first) == [
        "1 invitation renvoyée. 1 compte non activé : utilisez « Activer et envoyer l’invitation ». "
        "1 personne a déjà choisi un mot de passe : « Mot de passe oublié » sur la page de connexion."
    ]
    assert messages_of(second) == [
        "0 invitation renvoyée. 1 personne a déjà reçu une invitation il y a moins de 10 minutes."
    ]
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(user=person).count() == 2


def test_a_lost_unsent_invitation_is_queued_again_not_duplicated(admin_user, django_capture_on_commit_callbacks):
    person = invited_person()
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=PARIS), tick=False):
        services.users_activate_and_invite(actor=admin_user, users=[person])  # the task never ran

    moment = dt.datetime(2026, 3, 1, 10, 0, tzinfo=PARIS)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        result = services.users_reinvite(actor=admin_user, users=[person])

    assert result["invited"] == 1
    assert Invitation.objects.filter(user=person).count() == 1
    assert len(mail.outbox) == 1


# --- Forms -----------------------------------------------------------------------------------


def test_adding_a_person_without_password_leaves_them_inactive_with_no_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nouvelle.Personne@AC-Poitiers.fr",
            "first_name": "Nouvelle",
            "last_name": "Personne",
            "password1": "",
            "password2": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    person = User.objects.get(email="nouvelle.personne@ac-poitiers.fr")
    assert (person.is_active, person.has_usable_password()) == (False, False)
    assert mail.outbox == []


def test_adding_a_person_with_invitation_activates_and_invites(
    admin_client, admin_user, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "invitee@ac-poitiers.fr",
                "first_name": "Inès",
                "last_name": "Vitée",
                "invite": "on",
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "0",
                "memberships-0-structure": school.pk,
                "memberships-0-role": Role.TEACHER,
                "memberships-0-start_date": "01/09/2025",
            },
            follow=True,
        )

    person = User.objects.get(email="invitee@ac-poitiers.fr")
    assert person.is_active
    assert list(person.memberships.values_list("structure", "role")) == [(school.pk, Role.TEACHER)]
    assert "1 compte activé, 1 invitation envoyée." in messages_of(response)
    assert [message.to for message in mail.outbox] == [["invitee@ac-poitiers.fr"]]
    assert history_of(person).get(action=AccountAction.ACTIVATED).actor == admin_user


def _add_person(client, **fields):
    data = {
        "email": "nouvelle@ac-poitiers.fr",
        "first_name": "Nouvelle",
        "last_name": "Personne",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(reverse("admin:accounts_user_add"), data)


def test_the_add_form_is_django_s_admin_creation_form_with_no_password_by_default(admin_client):
    from django.contrib.auth.forms import AdminUserCreationForm

    page = admin_client.get(reverse("admin:accounts_user_add"))

    form = page.context["adminform"].form
    assert isinstance(form, AdminUserCreationForm)
    assert form["usable_password"].value() == "false"
    assert "Aucun : la personne le choisira (invitation)" in page.text


def test_adding_a_person_with_a_password_sets_it_but_leaves_them_inactive(admin_client):
    response = _add_person(admin_client, usable_password="true", password1="Lencloitre-86", password2="Lencloitre-86")

    assert response.status_code == 302
    person = User.objects.get(email="nouvelle@ac-poitiers.fr")
    assert person.is_active is False
    assert person.check_password("Lencloitre-86")
    assert mail.outbox == []


def test_choosing_no_password_ignores_typed_ones(admin_client):
    response = _add_person(admin_client, usable_password="false", password1="Lencloitre-86", password2="Lencloitre-86")

    assert response.status_code == 302
    person = User.objects.get(email="nouvelle@ac-poitiers.fr")
    assert (person.is_active, person.has_usable_password()) == (False, False)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"usable_password": "true"},
            {"password1": ["Ce champ est obligatoire."], "password2": ["Ce champ est obligatoire."]},
        ),
        (
            {"usable_password": "true", "password1": "Lencloitre-86", "password2": "Lencloitre-87"},
            {"password2": ["Les deux mots de passe ne sont pas identiques."]},
        ),
        ({"password1": "Lencloitre-86", "password2": ""}, {"password2": ["Ce champ est obligatoire."]}),
        (
            {"usable_password": "true", "password1": "1234567890", "password2": "1234567890"},
            {"password2": ["Ce mot de passe est trop courant.", "Ce mot de passe est entièrement numérique."]},
        ),
    ],
    ids=["chosen-but-empty", "mismatch", "typed-once", "weak"],
)
def test_a_wrong_password_is_refused_and_nobody_is_created(admin_client, fields, errors):
    before = state()

    response = _add_person(admin_client, **fields)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    assert state() == before


def test_adding_a_person_whose_email_exists_in_another_case_is_refused(admin_client, teacher):
    before = state()

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": teacher.email.upper(),
            "first_name": "Double",
            "last_name": "Compte",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["Une personne a déjà cette adresse e-mail."]
    assert state() == before


def _change_data(user, **changes):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined_0": "01/09/2025",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    for prefix, count in (
        ("invitations", user.invitations.count()),
        ("audit-event-target_type-target_id", history_of(user).count()),
    ):
        data |= {f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": str(count)}
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_ticking_active_on_the_change_form_goes_through_the_service(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    person = invited_person()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_change", args=[person.pk]), _change_data(person, is_active="on")
        )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert history_of(person).get(action=AccountAction.ACTIVATED).actor == admin_user
    assert len(mail.outbox) == 1

    admin_client.post(reverse("admin:accounts_user_change", args=[person.pk]), _change_data(person, is_active=None))
    person.refresh_from_db()
    assert not person.is_active
    assert history_of(person).filter(action=AccountAction.DEACTIVATED, actor=admin_user).exists()


def _structure_data(**changes):
    data = {
        "kind": Structure.Kind.SCHOOL,
        "name": "École primaire du Moulin",
        "code": "",
        "district": "",
        "uai": "",
        "school_type": Structure.SchoolType.PRIMAIRE,
        "commune": "Mirebeau",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_structure_form_checks_the_uai_check_letter(admin_client, school):
    right = uai_check_letter("0860901")
    wrong = "A" if right != "A" else "B"
    before = state()

    response = admin_client.post(
        reverse("admin:accounts_structure_add"), _structure_data(uai=f"0860901{wrong}", district=school.district_id)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["uai"] == [
        f"Le code UAI « 0860901{wrong} » est invalide : sa lettre de contrôle devrait être « {right} »."
    ]
    assert state() == before


def test_structure_form_normalises_the_uai_and_fills_code_and_email(admin_client, school):
    uai = "0860901" + uai_check_letter("0860901")

    response = admin_client.post(
        reverse("admin:accounts_structure_add"), _structure_data(uai=f" {uai.lower()} ", district=school.district_id)
    )

    assert response.status_code == 302
    created = Structure.objects.get(uai=uai)
    assert (created.code, created.email) == (uai.lower(), f"ce.{uai.lower()}@ac-poitiers.fr")

    duplicate = admin_client.post(
        reverse("admin:accounts_structure_add"), _structure_data(uai=uai.lower(), district=school.district_id)
    )
    assert duplicate.status_code == 200
    assert "uai" in duplicate.context["adminform"].form.errors


# --- CSV imports through the admin -----------------------------------------------------------


def upload(client, url, content: bytes, name="fichier.csv"):
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_school_import_previews_every_error_writes_nothing_then_confirms(admin_client, admin_user, school):
    good = "0860921" + uai_check_letter("0860921")
    content = (
        f"UAI;Nom;Type;Commune\n{good};École de Thénezay;primaire;Thénezay\n0860922A;Mauvaise;primaire;X\n"
    ).encode("cp1252")
    before = state()

    preview = upload(admin_client, SCHOOL_IMPORT, content)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Rien n’est encore enregistré." in page
    assert "1 ligne comporte des erreurs" in page
    expected = uai_check_letter("0860922")
    assert f"sa lettre de contrôle devrait être « {expected} »" in page
    assert "École de Thénezay" in page
    assert state() == before

    digest = admin_client.session["accounts_import_schools"]["digest"]
    confirmed = admin_client.post(SCHOOL_IMPORT, {"confirm": "1", "digest": digest}, follow=True)

    assert messages_of(confirmed) == ["1 école créée, 0 mise à jour, 0 inchangée. 1 ligne en erreur ignorée."]
    assert Structure.objects.get(uai=good).commune == "Thénezay"
    assert "accounts_import_schools" not in admin_client.session
    created = Structure.objects.get(uai=good)
    entry = LogEntry.objects.get(object_id=str(created.pk))
    assert (entry.user_id, entry.action_flag) == (admin_user.pk, ADDITION)

    again = upload(admin_client, SCHOOL_IMPORT, content).content.decode()
    assert "Sans changement" in again
    assert "il n’y a rien à importer" in again
    assert 'name="confirm"' not in again
    assert "accounts_import_schools" not in admin_client.session
    assert Structure.objects.filter(uai=good).count() == 1


def test_confirming_after_someone_else_imported_the_same_file_changes_nothing(admin_client, admin_user, school):
    content = f"UAI;Nom;Type;Commune\n{'0860941' + uai_check_letter('0860941')};École;primaire;Mirebeau\n".encode()
    upload(admin_client, SCHOOL_IMPORT, content)
    services.schools_import(actor=admin_user, rows=imports.preview_schools(content.decode()).valid_rows)
    before = state()

    digest = admin_client.session["accounts_import_schools"]["digest"]
    response = admin_client.post(SCHOOL_IMPORT, {"confirm": "1", "digest": digest}, follow=True)

    assert messages_of(response) == ["Rien à importer : aucune ligne valide n’apporte de changement."]
    assert state() == before
    assert "accounts_import_schools" not in admin_client.session


def test_confirm_imports_the_file_kept_on_the_server_only(admin_client, school):
    content = f"UAI;Nom;Type;Commune\n{'0860931' + uai_check_letter('0860931')};École;primaire;Mirebeau\n".encode()
    before = state()

    forged = admin_client.post(SCHOOL_IMPORT, {"confirm": "1", "digest": hashlib.sha256(content).hexdigest()})
    assert forged.status_code == 302
    assert state() == before

    upload(admin_client, SCHOOL_IMPORT, content)
    stale = admin_client.post(SCHOOL_IMPORT, {"confirm": "1", "digest": "0" * 64}, follow=True)
    assert messages_of(stale) == [
        "Cet aperçu n’est plus disponible (expiré, ou un autre fichier a été déposé) : déposez le fichier à nouveau."
    ]
    cancelled = admin_client.post(SCHOOL_IMPORT, {"cancel": "1"}, follow=True)
    assert messages_of(cancelled) == ["Import annulé : rien n’a été enregistré."]
    assert "accounts_import_schools" not in admin_client.session
    assert state() == before


def test_people_import_through_the_admin_creates_inactive_people(admin_client, school):
    content = (
        "\ufeffCourriel,Prénom,Nom,UAI,Rôle\n"
        f"lea.moreau@ac-poitiers.fr,Léa,Moreau,{school.uai},directrice\n"
        f"lea.moreau@ac-poitiers.fr,Autre,Nom,{school.uai},enseignante\n"
    ).encode()

    preview = upload(admin_client, PEOPLE_IMPORT, content)
    assert "Adresse e-mail déjà présente ligne 2" in preview.content.decode()
    assert not User.objects.filter(email="lea.moreau@ac-poitiers.fr").exists()

    digest = admin_client.session["accounts_import_people"]["digest"]
    confirmed = admin_client.post(PEOPLE_IMPORT, {"confirm": "1", "digest": digest}, follow=True)

    assert messages_of(confirmed)[0].startswith(
        "1 personne créée (comptes non activés), 0 mise à jour, 0 inchangée ; 1 rattachement créé."
    )
    assert confirmed.redirect_chain[-1][0] == USERS + "?is_active__exact=0"
    lea = User.objects.get(email="lea.moreau@ac-poitiers.fr")
    assert (lea.is_active, lea.memberships.get().role) == (False, Role.DIRECTOR)
    assert mail.outbox == []


def test_an_oversized_or_binary_upload_gets_a_french_message_and_no_preview(admin_client, school, settings):
    too_big = upload(admin_client, SCHOOL_IMPORT, b"x" * (imports.MAX_FILE_BYTES + 1))
    assert too_big.context["form"].errors["file"] == [
        "Le fichier pèse 2,0 Mo : la limite est de 2 Mo. Découpez-le en plusieurs fichiers."
    ]
    spreadsheet = upload(admin_client, SCHOOL_IMPORT, b"PK\x03\x04\x00\x00binary", name="ecoles.csv")
    assert "n’est pas un fichier CSV" in spreadsheet.context["form"].errors["file"][0]
    assert "accounts_import_schools" not in admin_client.session


@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("admin:accounts_structure_import_template", "UAI;Nom;Type;Commune;Adresse;Code postal;Téléphone;Courriel"),
        ("admin:accounts_user_import_template", "Courriel;Prénom;Nom;UAI ou code de structure;Rôle;Spécialité"),
    ],
)
def test_model_csv_files_download_with_a_header_and_an_example(admin_client, url, header):
    response = admin_client.get(reverse(url))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == header
    assert len(lines) == 2


def test_changelists_offer_the_import_buttons(admin_client):
    assert "Importer des écoles (CSV)" in admin_client.get(STRUCTURES).content.decode()
    assert "Importer des personnes (CSV)" in admin_client.get(USERS).content.decode()
