"""The CSV import's passes, each on its own: the row forms, resolving, de-duplicating, planning."""

import datetime

import pytest

from accounts import imports, services
from accounts.imports.fields import form_errors
from accounts.imports.people import check_people_rows, dedupe_people, plan_people, resolve_people
from accounts.imports.schools import check_school_rows, dedupe_schools, plan_schools, resolve_schools
from accounts.models import Membership, Role, Structure, User
from accounts.validators import uai_check_letter
from tests.factories import DistrictFactory, MembershipFactory, RasedFactory, SchoolFactory, TeamFactory, UserFactory


def uai(first_seven: str) -> str:
    return first_seven + uai_check_letter(first_seven)


def person(**cells) -> dict:
    return {
        "email": "anne.roy@ac-poitiers.fr",
        "first_name": "Anne",
        "last_name": "Roy",
        "structure": "",
        "role": "enseignante",
        "speciality": "",
        **cells,
    }


def school_cells(**cells) -> dict:
    return {"uai": uai("0860701"), "name": "École du Bourg", "school_type": "primaire", "commune": "Mirebeau", **cells}


def people_lines(*rows):
    return check_people_rows([(number, cells) for number, cells in enumerate(rows, start=2)])


def school_lines(*rows):
    return check_school_rows([(number, cells) for number, cells in enumerate(rows, start=2)])


# --- Pass 1: one form per row ----------------------------------------------------------------


@pytest.mark.django_db
def test_person_form_cleans_each_cell_without_reading_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        form = imports.PersonRowForm(
            data=person(email="Anne.Roy@AC-Poitiers.fr", structure=" 0860701 ".strip(), role="Directrice")
        )
        valid = form.is_valid()
    assert valid is False  # the UAI lacks its letter
    assert form.errors == {
        "structure": [
            "« 0860701 » n’est pas un code UAI : il faut 7 caractères (chiffres) suivis d’une lettre, par exemple 0860001J."
        ]
    }
    assert form.cleaned_data == {
        "email": "anne.roy@ac-poitiers.fr",
        "first_name": "Anne",
        "last_name": "Roy",
        "role": Role.DIRECTOR,
        "speciality": "",
    }


@pytest.mark.parametrize(
    ("cell", "key"),
    [(uai("0860701").lower(), ("uai", uai("0860701"))), ("RASED-Nord", ("code", "rased-nord")), ("", None)],
)
def test_person_form_reads_the_structure_as_a_uai_or_a_code(cell, key):
    form = imports.PersonRowForm(data=person(structure=cell))
    assert form.is_valid()
    assert form.cleaned_data["structure"] == key


def test_person_form_lengths_are_the_model_fields(db):
    limits = {name: User._meta.get_field(name).max_length for name in ("first_name", "last_name", "email")} | {
        "speciality": Membership._meta.get_field("speciality").max_length
    }
    local = "a" * (limits["email"] - len("@ac.fr") + 1)
    form = imports.PersonRowForm(
        data=person(
            email=f"{local}@AC.fr",
            first_name="P" * limits["first_name"],
            last_name="N" * (limits["last_name"] + 1),
            speciality="s" * (limits["speciality"] + 1),
        )
    )
    assert not form.is_valid()
    assert form_errors(form) == [
        f"Adresse e-mail trop long ({limits['email'] + 1} caractères, {limits['email']} au plus).",
        f"Nom trop long ({limits['last_name'] + 1} caractères, {limits['last_name']} au plus).",
        f"Spécialité trop long ({limits['speciality'] + 1} caractères, {limits['speciality']} au plus).",
    ]


def test_person_form_messages_come_in_the_order_of_the_columns():
    [line] = people_lines({"email": "", "first_name": "", "last_name": "", "structure": "0860", "role": "chef"})
    assert line.errors == [
        "Adresse e-mail manquante.",
        "Prénom manquant.",
        "Nom manquant.",
        "Rôle « chef » inconnu : indiquez directeur, directrice, enseignant, enseignante, IEN, "
        "CPC (ou conseiller pédagogique), secrétaire ou RASED.",
        "« 0860 » n’est pas un code UAI : il faut 7 caractères (chiffres) suivis d’une lettre, par exemple 0860001J.",
    ]
    assert line.cells == ["", "", "", "0860", "chef"]


def test_school_form_cleans_types_postal_codes_and_the_optional_email():
    form = imports.SchoolRowForm(
        data=school_cells(school_type="EEPU", postal_code="86 110", email="CE.0860701@ac-poitiers.fr")
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["school_type"], form.cleaned_data["postal_code"], form.cleaned_data["email"]) == (
        Structure.SchoolType.ELEMENTAIRE,
        "86110",
        "ce.0860701@ac-poitiers.fr",
    )
    assert (form.cleaned_data["address"], form.cleaned_data["phone"]) == ("", "")  # absent columns: empty


def test_school_form_lengths_are_the_model_fields():
    limit = Structure._meta.get_field("phone").max_length
    [line] = school_lines(school_cells(phone="0" * (limit + 1), commune="", email="ce@"))
    assert line.errors == [
        "Commune manquante.",
        f"Téléphone trop long ({limit + 1} caractères, {limit} au plus).",
        "Courriel invalide : « ce@ ».",
    ]


# --- Schools: de-duplicate, resolve, plan ---------------------------------------------------


def test_dedupe_schools_names_the_first_line_with_a_valid_uai_and_puts_the_error_first():
    first = uai("0860701")
    lines = school_lines(
        school_cells(uai="0860"),
        school_cells(uai=first, name=""),  # invalid, but its UAI is valid: it is the first one
        school_cells(uai=first.lower(), commune=""),
    )
    dedupe_schools(lines)
    assert [line.errors for line in lines] == [
        ["« 0860 » n’est pas un code UAI : il faut 7 caractères (chiffres) suivis d’une lettre, par exemple 0860001J."],
        ["Nom de l’école manquant."],
        [f"Code UAI « {first} » déjà présent ligne 3.", "Commune manquante."],
    ]


@pytest.mark.django_db
def test_resolve_schools_finds_stored_schools_and_refuses_taken_codes_in_two_queries(django_assert_num_queries):
    stored = SchoolFactory(uai=uai("0860711"))
    taken = uai("0860712")
    TeamFactory(code=taken.lower(), name="Équipe au code d’école")
    rased = Structure.objects.create(
        district=stored.district, kind=Structure.Kind.RASED, code="rased-x", name="RASED X", uai=uai("0860713")
    )
    lines = school_lines(
        school_cells(uai=stored.uai), school_cells(uai=taken), school_cells(uai=rased.uai), school_cells(uai="")
    )
    with django_assert_num_queries(2):
        resolve_schools(lines)
    assert [line.existing for line in lines] == [stored, None, rased, None]
    assert [line.errors for line in lines] == [
        [],
        [f"Le code « {taken.lower()} » est déjà celui de la structure « Équipe au code d’école »."],
        [f"Le code UAI « {rased.uai} » est celui de « RASED X », qui n’est pas une école."],
        ["Code UAI manquant."],
    ]


def test_plan_schools_describes_creations_and_changes_without_the_database():
    stored = Structure(
        kind=Structure.Kind.SCHOOL,
        uai=uai("0860721"),
        name="École",
        school_type=Structure.SchoolType.PRIMAIRE,
        commune="Mirebeau",
        phone="05 49 00 00 00",
    )
    new, renamed, same, wrong = school_lines(
        school_cells(uai=uai("0860722")),
        school_cells(uai=stored.uai, name="École Les Lilas", school_type="maternelle"),
        school_cells(uai=stored.uai, name="École", phone=""),
        school_cells(uai=""),
    )
    renamed.existing = same.existing = stored

    plan_schools([new, renamed, same, wrong], academie="poitiers")

    assert [line.action for line in (new, renamed, same, wrong)] == [
        imports.CREATE,
        imports.UPDATE,
        imports.UNCHANGED,
        imports.ERROR,
    ]
    assert new.changes == [f"Nouvelle école ; adresse fonctionnelle : ce.{uai('0860722').lower()}@ac-poitiers.fr"]
    assert renamed.changes == [
        "Nom : « École » → « École Les Lilas »",
        "Type : « École primaire » → « École maternelle »",
    ]
    assert same.changes == []  # an empty phone keeps the stored one
    assert renamed.row == imports.SchoolRow(
        uai=stored.uai, name="École Les Lilas", school_type="maternelle", commune="Mirebeau"
    )
    assert wrong.row is None


# --- People: resolve, de-duplicate, plan ----------------------------------------------------


@pytest.mark.django_db
def test_resolve_people_finds_structures_people_and_running_memberships_in_three_queries(
    django_assert_num_queries,
):
    school, team = SchoolFactory(), TeamFactory()
    today = datetime.date.today()
    stored = UserFactory(email="anne.roy@ac-poitiers.fr")
    future = MembershipFactory(
        user=stored, structure=school, role=Role.TEACHER, start_date=today + datetime.timedelta(days=10)
    )
    MembershipFactory(
        user=stored,
        structure=team,
        role=Role.CPC,
        start_date=datetime.date(2019, 9, 1),
        end_date=datetime.date(2021, 7, 1),
    )
    lines = people_lines(
        person(email="ANNE.ROY@ac-poitiers.fr", structure=school.uai),  # starts later: still running
        person(structure="", role="CPC"),  # the sole district team; the ended membership does not count
        person(email="autre@ac-poitiers.fr", structure=team.code),  # a teacher in the district team
        person(email="x@ac-poitiers.fr", structure="inconnue"),
    )
    with django_assert_num_queries(3):
        resolve_people(lines)
    assert [line.structure for line in lines] == [school, team, team, None]
    assert [line.existing for line in lines] == [stored, stored, None, None]
    assert [line.membership for line in lines] == [future, None, None, None]
    assert [line.errors for line in lines] == [
        [],
        [],
        ["Le rôle « Enseignant·e » s’exerce dans une école, pas dans « Équipe de circonscription »."],
        ["Aucune structure n’a le code « inconnue » : indiquez l’UAI de l’école ou le code de la structure."],
    ]


@pytest.mark.django_db
def test_resolve_people_needs_a_structure_when_there_are_two_rased():
    RasedFactory(code="rased-nord"), RasedFactory(code="rased-sud")
    [line] = people_lines(person(role="RASED"))
    resolve_people([line])
    assert (line.structure, line.errors) == (None, ["Indiquez l’UAI de l’école ou le code de la structure."])


def test_dedupe_people_allows_the_same_person_in_another_structure_only():
    school, other = Structure(pk=1, kind=Structure.Kind.SCHOOL), Structure(pk=2, kind=Structure.Kind.SCHOOL)
    lines = people_lines(
        person(role="chef"),  # invalid: its structure and role are not taken, its names are
        person(),
        person(email="Anne.Roy@ac-poitiers.fr"),
        person(),
        person(first_name="Annie"),
    )
    for line, structure in zip(lines, (school, school, other, school, other), strict=True):
        line.structure = structure

    dedupe_people(lines)

    assert [line.errors for line in lines[1:]] == [
        [],
        [],
        ["Ligne en double : même personne, même structure et même rôle que ligne 2."],
        ["Adresse e-mail déjà présente ligne 2 pour Anne Roy : une adresse ne désigne qu’une personne."],
    ]
    assert len(lines[0].errors) == 1


def test_plan_people_creates_once_then_adds_memberships_and_describes_changes():
    school = Structure(pk=1, kind=Structure.Kind.SCHOOL, name="École du Bourg")
    other = Structure(pk=2, kind=Structure.Kind.SCHOOL, name="École des Tilleuls")
    team = Structure(pk=3, kind=Structure.Kind.DISTRICT_TEAM, name="Équipe")
    stored = User(pk=10, email="jeanne.morel@ac-poitiers.fr", first_name="Jeanne", last_name="Morel")
    running = Membership(user=stored, structure=team, role=Role.CPC, speciality="EPS")
    jeanne = {"email": stored.email, "first_name": "Jeanne", "last_name": "Morel"}
    lines = people_lines(
        person(),
        person(),
        person(**{**jeanne, "last_name": "Morel-Durand"}, role="CPC", speciality="numérique"),
        person(**jeanne, role="CPC"),
        person(**jeanne, role="enseignante"),
        person(first_name=""),
    )
    for line, structure in zip(lines, (school, other, team, team, school, school), strict=True):
        line.structure = structure
    for line in lines[2:5]:
        line.existing = stored
    lines[2].membership = lines[3].membership = running

    plan_people(lines)

    assert [(line.action, line.changes) for line in lines] == [
        (imports.CREATE, ["Nouvelle personne (compte non activé)", "Rattachement : Enseignant·e — École du Bourg"]),
        (imports.UPDATE, ["Rattachement supplémentaire : Enseignant·e — École des Tilleuls"]),
        (
            imports.UPDATE,
            ["Nom : « Morel » → « Morel-Durand »", "Spécialité : « EPS » → « numérique »"],
        ),
        (imports.UNCHANGED, []),  # names are compared on the person's first line only
        (imports.UPDATE, ["Nouveau rattachement : Enseignant·e — École du Bourg"]),
        (imports.ERROR, []),
    ]
    assert lines[0].row == imports.PersonRow(
        email="anne.roy@ac-poitiers.fr", first_name="Anne", last_name="Roy", structure_id=1, role=Role.TEACHER
    )
    assert lines[5].row is None


# --- The whole preview, and the import it feeds ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 40])
def test_previews_cost_three_queries_whatever_the_number_of_lines(count, django_assert_num_queries):
    DistrictFactory()
    schools = [SchoolFactory() for _ in range(count)]
    for n in range(count):
        UserFactory(email=f"p{n}@ac-poitiers.fr", first_name="P", last_name=f"N{n}")
    people_text = "Courriel;Prénom;Nom;UAI;Rôle\n" + "".join(
        f"p{n}@ac-poitiers.fr;P;N{n};{school.uai};enseignant\n" for n, school in enumerate(schools)
    )
    schools_text = (
        "UAI;Nom;Type;Commune\n"
        + "".join(f"{school.uai};{school.name} bis;primaire;Mirebeau\n" for school in schools)
        + f"{uai('0860791')};École nouvelle;primaire;Mirebeau\n"
    )
    with django_assert_num_queries(3):
        people = imports.preview_people(people_text)
    with django_assert_num_queries(3):
        previewed = imports.preview_schools(schools_text)
    assert [line.action for line in people.lines] == [imports.UPDATE] * count  # a new membership each
    assert [line.action for line in previewed.lines] == [imports.UPDATE] * count + [imports.CREATE]


@pytest.mark.django_db
def test_a_membership_starting_later_is_not_duplicated_by_an_import(admin_user):
    school = SchoolFactory()
    later = datetime.date.today() + datetime.timedelta(days=30)
    membership = MembershipFactory(structure=school, role=Role.TEACHER, start_date=later)
    user = membership.user
    text = f"Courriel;Prénom;Nom;UAI;Rôle\n{user.email};{user.first_name};{user.last_name};{school.uai};enseignant\n"

    preview = imports.preview_people(text)
    result = services.people_import(actor=admin_user, rows=preview.valid_rows)

    assert [line.action for line in preview.lines] == [imports.UNCHANGED]
    assert result == {"created": 0, "updated": 0, "unchanged": 1, "memberships": 0}
    assert list(user.memberships.values_list("pk", "start_date")) == [(membership.pk, later)]
