"""CSV imports: reading spreadsheet files, the line-by-line preview, and the import services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import imports, services
from accounts.models import Membership, Role, Structure, User
from accounts.validators import uai_check_letter
from tests.factories import DistrictFactory, RasedFactory, SchoolFactory, TeamFactory, UserFactory


def uai(first_seven: str) -> str:
    return first_seven + uai_check_letter(first_seven)


def wrong_letter(first_seven: str) -> str:
    right = uai_check_letter(first_seven)
    return first_seven + ("A" if right != "A" else "B")


def line(preview, number):
    return next(candidate for candidate in preview.lines if candidate.number == number)


def db_counts():
    return Structure.objects.count(), User.objects.count(), Membership.objects.count()


@pytest.fixture
def district(db):
    return DistrictFactory()


# --- Reading files ---------------------------------------------------------------------------


def test_windows_1252_with_accents_and_semicolons_is_read(district):
    text = (
        "UAI;Nom;Type;Commune;Adresse;Code postal;Téléphone;Courriel\r\n"
        f"{uai('0860801')};École élémentaire Jean Moulin;élémentaire;Lencloître;3 rue de l’Église;86140;05 49 11 22 33;\r\n"
        f"{uai('0860802')};École maternelle Les Châtaigniers;maternelle;Thénezay;;79390;;\r\n"
    )
    data = text.encode("cp1252")
    assert b"Lenclo\xeetre" in data  # really Windows-1252, not UTF-8

    preview = imports.preview_schools(imports.decode_csv(data))

    assert preview.file_errors == []
    assert [(ln.action, ln.row.commune, ln.row.school_type) for ln in preview.lines] == [
        (imports.CREATE, "Lencloître", Structure.SchoolType.ELEMENTAIRE),
        (imports.CREATE, "Thénezay", Structure.SchoolType.MATERNELLE),
    ]
    assert line(preview, 2).row.phone == "05 49 11 22 33"
    assert line(preview, 2).changes == [
        f"Nouvelle école ; adresse fonctionnelle : ce.{uai('0860801').lower()}@ac-poitiers.fr"
    ]


def test_utf8_with_bom_and_commas_is_read(school):
    text = (
        "\ufeffE-mail,Prénom,Nom,UAI,Rôle,Spécialité\n"
        f"Helene.Dubois@AC-Poitiers.fr,Hélène,Dubois,{school.uai},directrice,\n"
        f'"joel.leger@ac-poitiers.fr","Joël","Léger","{school.uai}","enseignant",""\n'
    )

    preview = imports.preview_people(imports.decode_csv(text.encode("utf-8")))

    assert preview.file_errors == []
    assert [(ln.row.email, ln.row.first_name, ln.row.role) for ln in preview.lines] == [
        ("helene.dubois@ac-poitiers.fr", "Hélène", Role.DIRECTOR),
        ("joel.leger@ac-poitiers.fr", "Joël", Role.TEACHER),
    ]


def test_headers_are_matched_whatever_their_case_accents_and_spaces(school):
    text = f"  COURRIEL ;prenom;NOM ; code_UAI ;ROLE;Colonne libre\nanne.roy@ac-poitiers.fr;Anne;Roy;{school.uai};Enseignante;x\n"

    preview = imports.preview_people(text)

    assert preview.file_errors == []
    assert preview.ignored_columns == ["Colonne libre"]
    assert line(preview, 2).action == imports.CREATE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "n’est pas un fichier CSV"),
        (b"UAI;Nom\n\x81\x8d\x8f;x\n", "ni en UTF-8 ni en Windows-1252"),
    ],
)
def test_files_that_are_not_csv_text_are_refused(data, message):
    with pytest.raises(imports.ImportFileError, match=message):
        imports.decode_csv(data)


def test_a_file_over_the_size_limit_is_refused_with_a_french_message():
    upload = SimpleUploadedFile("gros.csv", b"a;b\n" * (imports.MAX_FILE_BYTES // 4 + 1), content_type="text/csv")

    with pytest.raises(imports.ImportFileError, match="la limite est de 2 Mo"):
        imports.read_upload(upload)


def test_utf16_from_a_spreadsheet_unicode_export_is_read():
    text = "UAI\tNom\n0860001J\tÉcole\n"

    assert imports.decode_csv(text.encode("utf-16")) == text


# --- Schools ---------------------------------------------------------------------------------


def test_school_preview_reports_every_bad_line(district):
    good = uai("0860811")
    text = "\n".join(
        [
            "UAI;Nom;Type;Commune;Code postal;Courriel",
            f"{good};École élémentaire du Bourg;élémentaire;Mirebeau;86110;",
            "086081;École trop courte;primaire;Mirebeau;;",
            f"{wrong_letter('0860812')};École à la mauvaise lettre;primaire;Mirebeau;;",
            f"{uai('0860813')};Collège Jules Verne;collège;Mirebeau;;",
            f"{uai('0860814')};;primaire;;;",
            f"{uai('0860815')};École au courriel faux;EMPU;Mirebeau;8611;ce.0860815@",
            f"{good.lower()};École en double;primaire;Mirebeau;;",
        ]
    )

    preview = imports.preview_schools(text)

    assert preview.file_errors == []
    assert [ln.action for ln in preview.lines] == [imports.CREATE] + [imports.ERROR] * 6
    assert line(preview, 3).errors == [
        "« 086081 » n’est pas un code UAI : il faut 7 caractères (chiffres) suivis d’une lettre, par exemple 0860001J."
    ]
    expected = uai_check_letter("0860812")
    assert line(preview, 4).errors == [
        f"Le code UAI « {wrong_letter('0860812')} » est invalide : sa lettre de contrôle devrait être « {expected} »."
    ]
    assert line(preview, 5).errors == [
        "Type d’école « collège » inconnu : indiquez maternelle, élémentaire ou primaire."
    ]
    assert line(preview, 6).errors == ["Nom de l’école manquant.", "Commune manquante."]
    assert line(preview, 7).errors == [
        "Code postal « 8611 » invalide : il faut 5 chiffres.",
        "Courriel invalide : « ce.0860815@ ».",
    ]
    assert line(preview, 8).errors == [f"Code UAI « {good} » déjà présent ligne 2."]
    assert preview.valid_rows == [line(preview, 2).row]
    assert preview.summary == "7 lignes lues : 1 création, 0 mise à jour, 0 sans changement, 6 en erreur."


def test_school_preview_reports_a_missing_column_and_no_line(district):
    preview = imports.preview_schools(f"UAI;Nom;Commune\n{uai('0860821')};École;Mirebeau\n")

    assert preview.file_errors == [
        "Colonne « Type » manquante. La première ligne doit nommer les colonnes : UAI; Nom; Type; Commune."
    ]
    assert preview.lines == []
    assert not preview.can_confirm


def test_school_preview_writes_nothing(district):
    before = db_counts()

    preview = imports.preview_schools(f"UAI;Nom;Type;Commune\n{uai('0860831')};École;primaire;Mirebeau\n")

    assert line(preview, 2).action == imports.CREATE
    assert db_counts() == before


def test_school_import_creates_then_a_second_import_updates_rather_than_duplicates(district, admin_user):
    first, second = uai("0860841"), uai("0860842")
    text = (
        "UAI;Nom;Type;Commune;Téléphone\n"
        f"{first};École primaire des Tilleuls;primaire;Lencloître;05 49 00 00 01\n"
        f"{second};École maternelle;maternelle;Thénezay;\n"
    )

    result = services.schools_import(actor=admin_user, rows=imports.preview_schools(text).valid_rows)

    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    school = Structure.objects.get(uai=first)
    assert (school.kind, school.code, school.commune, school.phone, school.email) == (
        Structure.Kind.SCHOOL,
        first.lower(),
        "Lencloître",
        "05 49 00 00 01",
        f"ce.{first.lower()}@ac-poitiers.fr",
    )

    again = imports.preview_schools(text)
    assert [ln.action for ln in again.lines] == [imports.UNCHANGED, imports.UNCHANGED]
    assert services.schools_import(actor=admin_user, rows=again.valid_rows) == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }

    renamed = text.replace("École maternelle;", "École maternelle Les Lilas;").replace("05 49 00 00 01", "")
    preview = imports.preview_schools(renamed)
    assert line(preview, 3).changes == ["Nom : « École maternelle » → « École maternelle Les Lilas »"]
    assert line(preview, 2).action == imports.UNCHANGED  # an empty cell keeps the phone number
    assert services.schools_import(actor=admin_user, rows=preview.valid_rows) == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
    }
    assert Structure.objects.filter(uai__in=[first, second]).count() == 2
    assert Structure.objects.get(uai=second).name == "École maternelle Les Lilas"
    assert Structure.objects.get(uai=first).phone == "05 49 00 00 01"


def test_school_preview_without_a_district_says_so(db):
    preview = imports.preview_schools(f"UAI;Nom;Type;Commune\n{uai('0860851')};École;primaire;Mirebeau\n")

    assert preview.file_errors == ["Aucune circonscription n’est enregistrée : créez-la d’abord dans l’administration."]


# --- People ----------------------------------------------------------------------------------


def test_people_preview_reports_every_bad_line(school):
    team = TeamFactory()
    unknown = uai("0860999")
    text = "\n".join(
        [
            "Courriel;Prénom;Nom;UAI ou code de structure;Rôle;Spécialité",
            f"marie.martin@ac-poitiers.fr;Marie;Martin;{school.uai};enseignante;",
            f"paul.petit@ac-poitiers.fr;Paul;Petit;{unknown};enseignant;",
            f"lea.blanc@ac-poitiers.fr;Léa;Blanc;{wrong_letter(school.uai[:7])};enseignante;",
            f"sans-arobase.ac-poitiers.fr;Jean;Sansmail;{school.uai};enseignant;",
            f"zoe.noir@ac-poitiers.fr;Zoé;Noir;{school.uai};cuisinière;",
            f"MARIE.MARTIN@ac-poitiers.fr;Marion;Martinez;{school.uai};enseignante;",
            f"marie.martin@ac-poitiers.fr;Marie;Martin;{school.uai};enseignante;",
            "luc.vert@ac-poitiers.fr;Luc;Vert;inconnue;enseignant;",
            f"ines.roux@ac-poitiers.fr;Inès;Roux;{team.code};directrice;",
            f"tom.gris@ac-poitiers.fr;;Gris;{school.uai};enseignant;",
        ]
    )

    preview = imports.preview_people(text)

    assert preview.file_errors == []
    assert [ln.action for ln in preview.lines] == [imports.CREATE] + [imports.ERROR] * 9
    assert line(preview, 3).errors == [f"Aucune école n’a le code UAI « {unknown} » : importez d’abord les écoles."]
    assert line(preview, 4).errors == [
        f"Le code UAI « {wrong_letter(school.uai[:7])} » est invalide : sa lettre de contrôle devrait être "
        f"« {school.uai[7]} »."
    ]
    assert line(preview, 5).errors == ["Adresse e-mail invalide : « sans-arobase.ac-poitiers.fr »."]
    assert line(preview, 6).errors == [
        "Rôle « cuisinière » inconnu : indiquez directeur, directrice, enseignant, enseignante, IEN, "
        "CPC (ou conseiller pédagogique), secrétaire ou RASED."
    ]
    assert line(preview, 7).errors == [
        "Adresse e-mail déjà présente ligne 2 pour Marie Martin : une adresse ne désigne qu’une personne."
    ]
    assert line(preview, 8).errors == ["Ligne en double : même personne, même structure et même rôle que ligne 2."]
    assert line(preview, 9).errors == [
        "Aucune structure n’a le code « inconnue » : indiquez l’UAI de l’école ou le code de la structure."
    ]
    assert line(preview, 10).errors == [
        "Le rôle « Directeur·rice d’école » s’exerce dans une école, pas dans « Équipe de circonscription »."
    ]
    assert line(preview, 11).errors == ["Prénom manquant."]


def test_people_preview_reports_missing_columns(school):
    preview = imports.preview_people(f"Courriel;Nom;UAI\nanne.roy@ac-poitiers.fr;Roy;{school.uai}\n")

    assert [error.split(".")[0] for error in preview.file_errors] == [
        "Colonne « Prénom » manquante",
        "Colonne « Rôle » manquante",
    ]


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("directeur", Role.DIRECTOR),
        ("Directrice", Role.DIRECTOR),
        ("enseignant", Role.TEACHER),
        ("ENSEIGNANTE", Role.TEACHER),
        ("IEN", Role.IEN),
        ("CPC", Role.CPC),
        ("conseiller pédagogique", Role.CPC),
        ("Conseillère pédagogique", Role.CPC),
        ("secrétaire", Role.SECRETARY),
        ("RASED", Role.RASED),
    ],
)
def test_roles_are_read_in_french(written, role):
    assert imports.parse_role(written) == role


def test_team_roles_may_leave_the_structure_empty_when_there_is_one_team(school):
    team, rased = TeamFactory(), RasedFactory()
    text = (
        "Courriel;Prénom;Nom;UAI;Rôle;Spécialité\n"
        "cpc@ac-poitiers.fr;Claire;Dupin;;conseillère pédagogique;numérique\n"
        "psy@ac-poitiers.fr;Paul;Sylla;;RASED;\n"
        "prof@ac-poitiers.fr;Pia;Rof;;enseignante;\n"
    )

    preview = imports.preview_people(text)

    assert [(ln.row.structure_id, ln.row.speciality) for ln in preview.lines[:2]] == [
        (team.pk, "numérique"),
        (rased.pk, ""),
    ]
    assert line(preview, 4).errors == ["Indiquez l’UAI de l’école ou le code de la structure."]


def test_people_preview_writes_nothing(school):
    before = db_counts()

    preview = imports.preview_people(
        f"Courriel;Prénom;Nom;UAI;Rôle\nanne.roy@ac-poitiers.fr;Anne;Roy;{school.uai};enseignante\n"
    )

    assert line(preview, 2).action == imports.CREATE
    assert db_counts() == before


def test_people_import_creates_inactive_people_and_a_second_import_duplicates_nothing(school, admin_user):
    other = SchoolFactory()
    text = (
        "Courriel;Prénom;Nom;UAI;Rôle\n"
        f"Anne.Roy@AC-Poitiers.fr;Anne;Roy;{school.uai};directrice\n"
        f"bruno.lin@ac-poitiers.fr;Bruno;Lin;{school.uai};enseignant\n"
        f"bruno.lin@ac-poitiers.fr;Bruno;Lin;{other.uai};enseignant\n"
    )

    preview = imports.preview_people(text)
    assert [ln.action for ln in preview.lines] == [imports.CREATE, imports.CREATE, imports.UPDATE]
    assert line(preview, 4).changes == [f"Rattachement supplémentaire : Enseignant·e — {other.name}"]

    result = services.people_import(actor=admin_user, rows=preview.valid_rows)

    assert result == {"created": 2, "updated": 0, "unchanged": 0, "memberships": 3}
    anne = User.objects.get(email="anne.roy@ac-poitiers.fr")
    assert (anne.first_name, anne.last_name, anne.is_active, anne.has_usable_password()) == (
        "Anne",
        "Roy",
        False,
        False,
    )
    assert set(Membership.objects.filter(user__email="bruno.lin@ac-poitiers.fr").values_list("structure", "role")) == {
        (school.pk, Role.TEACHER),
        (other.pk, Role.TEACHER),
    }

    before = db_counts()
    again = imports.preview_people(text)
    assert [ln.action for ln in again.lines] == [imports.UNCHANGED] * 3
    assert services.people_import(actor=admin_user, rows=again.valid_rows) == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "memberships": 0,
    }
    assert db_counts() == before


def test_people_import_updates_an_existing_person_found_by_email_whatever_its_case(school, admin_user):
    person = UserFactory(email="jeanne.morel@ac-poitiers.fr", first_name="Jeanne", last_name="Morel", is_active=True)
    text = f"Courriel;Prénom;Nom;UAI;Rôle\nJEANNE.MOREL@ac-poitiers.fr;Jeanne;Morel-Durand;{school.uai};enseignante\n"

    preview = imports.preview_people(text)
    assert line(preview, 2).changes == [
        "Nom : « Morel » → « Morel-Durand »",
        f"Nouveau rattachement : Enseignant·e — {school.name}",
    ]
    result = services.people_import(actor=admin_user, rows=preview.valid_rows)

    assert result == {"created": 0, "updated": 1, "unchanged": 0, "memberships": 1}
    person.refresh_from_db()
    assert (person.last_name, person.is_active, User.objects.count()) == ("Morel-Durand", True, 2)


def test_an_ended_membership_does_not_stop_a_new_one(school, admin_user, teacher):
    teacher.memberships.update(end_date="2020-07-01", start_date="2019-09-01")
    text = f"Courriel;Prénom;Nom;UAI;Rôle\n{teacher.email};{teacher.first_name};{teacher.last_name};{school.uai};enseignant\n"

    result = services.people_import(actor=admin_user, rows=imports.preview_people(text).valid_rows)

    assert result["memberships"] == 1
    assert teacher.memberships.count() == 2


def test_model_files_are_read_back_by_the_import(district):
    school_preview = imports.preview_schools(imports.template_csv("schools"))
    assert school_preview.file_errors == []
    assert [ln.action for ln in school_preview.lines] == [imports.CREATE]

    SchoolFactory(uai=line(school_preview, 2).row.uai, code="modele")
    people_preview = imports.preview_people(imports.template_csv("people"))
    assert people_preview.file_errors == []
    assert [ln.action for ln in people_preview.lines] == [imports.CREATE]
