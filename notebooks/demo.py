"""Demo data of the notebooks: the three notebooks of the article.

* « Semaine olympique et paralympique »: closed, pages of three schools published, its common book
  exported (made once the demo's transaction commits, after its images are processed);
* « Un petit inventaire de la flore (et de la faune) printanière »: open, pages of several schools
  with pictures drawn here with Pillow, some published, some waiting for validation, one sent back;
* « Lectures partagées en cycle 2 »: open to every teacher of its schools, pages with short
  recordings made here (tones written with the ``wave`` module: no real voice) and their transcripts.

Everything goes through ``notebooks.services`` (people are told, the audit trail written), each
write dated back with :func:`ent.demo_history.written_at`. Notebooks are keyed by slug: running it
again changes nothing.
"""

import io
import math
import struct
import wave
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.audiences import AudienceKind, members_of
from accounts.models import Structure, User
from ent.demo_history import written_at

from . import services
from .models import Notebook, Page, PageEdition, pages_changed

COUNSELLOR = "cpc.numerique@demo.ent.fr"
SCHOOL_NAMES = [
    "École élémentaire Jean Raffarin",
    "École élémentaire Jules Ferry",
    "École élémentaire Jacques Prévert",
]


def _at(day, hour=time(16, 30)):
    return timezone.make_aware(datetime.combine(day, hour))


# --- Made-up media -----------------------------------------------------------------------------


def picture(name: str, *, petals: tuple, centre: tuple, sky: tuple, seed: int) -> SimpleUploadedFile:
    """A child's drawing of a flower (or a ladybird), as a JPEG upload."""
    image = Image.new("RGB", (1200, 900), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 650, 1200, 900), fill=(96, 160, 70))
    for n in range(3):
        x = 250 + n * 350 + (seed * 37) % 60
        draw.line((x, 650, x, 420), fill=(40, 110, 40), width=14)
        for k in range(6):
            angle = k * math.pi / 3 + seed
            px, py = x + 70 * math.cos(angle), 360 + 70 * math.sin(angle)
            draw.ellipse((px - 50, py - 50, px + 50, py + 50), fill=petals)
        draw.ellipse((x - 40, 320, x + 40, 400), fill=centre)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def tones(name: str, notes: tuple, *, seconds_each: float = 0.6, rate: int = 22_050) -> SimpleUploadedFile:
    """A short tune (sine tones written with the ``wave`` module), standing for a read-aloud recording."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = bytearray()
        for frequency in notes:
            count = int(seconds_each * rate)
            for i in range(count):
                fade = min(1.0, i / 400, (count - i) / 400)
                frames += struct.pack("<h", int(8000 * fade * math.sin(2 * math.pi * frequency * i / rate)))
        out.writeframes(bytes(frames))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="audio/wav")


# --- Writing through the services --------------------------------------------------------------


def _page(*, notebook, author, when, title, class_label, blocks, state, reviewer) -> Page:
    """A page written by ``author`` at ``when`` (blocks: NewBlock), then proposed / published / sent back."""
    with written_at(when):
        page = services.page_create(actor=author, notebook=notebook, title=title, class_label=class_label)
        for block in blocks:
            page = services.page_save(
                actor=author,
                page=page,
                version=page.version,
                title=page.title,
                class_label=class_label,
                new_block=block,
            )
        page = services.page_save(
            actor=author, page=page, version=page.version, title=page.title, class_label=class_label
        )
    Page.objects.filter(pk=page.pk).update(created_at=when, updated_at=when)
    if state in ("proposee", "publiee", "renvoyee") and notebook.is_validated:
        proposed = when + timedelta(hours=2)
        with written_at(proposed):
            services.page_propose(actor=author, page=page)
        Page.objects.filter(pk=page.pk).update(proposed_at=proposed)
        decided = when + timedelta(days=1)
        if state == "publiee":
            with written_at(decided):
                services.page_publish(actor=reviewer, page=page)
        elif state == "renvoyee":
            with written_at(decided):
                services.page_return(
                    actor=reviewer, page=page, comment="Pouvez-vous ajouter le nom de la fleur sous la photo ?"
                )
    PageEdition.objects.filter(page=page).update(created_at=when + timedelta(days=1))
    pages_changed([page.pk])  # backdated by update(): the page shows its copy's date
    return page


def _notebook(*, cpc, when, **fields) -> Notebook | None:
    if Notebook.objects.filter(slug=fields["slug"]).exists():
        return None
    with written_at(when):
        notebook = services.notebook_create(actor=cpc, **fields)
    Notebook.objects.filter(pk=notebook.pk).update(created_at=when, updated_at=when)
    return notebook


def _authors(schools):
    """One teaching member of each school (the named demo teacher for Mirebeau)."""
    people = []
    for school in schools:
        named = User.objects.filter(email="enseignant@demo.ent.fr", memberships__structure=school).first()
        people.append(named or members_of([school]).order_by("email").first())
    return people


def _olympic(cpc, schools, authors):
    today = timezone.localdate()
    notebook = _notebook(
        cpc=cpc,
        when=_at(today - timedelta(days=75), time(9)),
        slug="semaine-olympique-et-paralympique",
        title="Semaine olympique et paralympique",
        subtitle="Nos classes bougent, jouent et découvrent le handisport",
        theme="Olympisme",
        colour=Notebook.Colour.BLUE,
        presentation="<p>Pendant la semaine olympique et paralympique, chaque classe raconte ses rencontres "
        "sportives, ses essais de sports paralympiques et ce qu’elle a appris des valeurs de l’olympisme.</p>",
        audience=AudienceKind.DISTRICT,
        contributor_structures=schools,
        opens_on=today - timedelta(days=70),
        # Open while its pages are written (the services refuse pages to a closed notebook), closed after.
        closes_on=today,
        policy=Notebook.Policy.VALIDATED,
    )
    if notebook is None:
        return
    entries = [
        (
            "Le cécifoot dans la cour",
            "CM1",
            "Les yeux bandés, nous avons joué au football avec un ballon sonore. "
            "Il faut beaucoup se parler et se faire confiance.",
        ),
        (
            "Notre devise : plus vite, plus haut, plus fort, ensemble",
            "CE2",
            "Nous avons écrit notre devise et fabriqué des médailles pour chaque équipe.",
        ),
        ("Rencontre de boccia", "CM2", "La boccia se joue assis : il faut lancer sa balle au plus près du cochonnet."),
    ]
    for n, (author, (title, klass, text)) in enumerate(zip(authors, entries, strict=False)):
        _page(
            notebook=notebook,
            author=author,
            when=_at(today - timedelta(days=68 - 3 * n)),
            title=title,
            class_label=klass,
            blocks=[
                services.NewBlock(kind="texte", body=f"<p>{text}</p>"),
                services.NewBlock(
                    kind="image",
                    file=picture(
                        f"olympique-{n}.jpg", petals=(230, 60, 60), centre=(250, 210, 40), sky=(170, 210, 250), seed=n
                    ),
                    alt="Un dessin d’élève : des fleurs aux couleurs des anneaux olympiques sur une pelouse.",
                    no_identifiable_pupil=True,
                ),
            ],
            state="publiee",
            reviewer=cpc,
        )
    with written_at(_at(today - timedelta(days=50), time(18))):
        notebook = services.notebook_update(actor=cpc, notebook=notebook, closes_on=today - timedelta(days=50))
    with written_at(_at(today - timedelta(days=48), time(10))):
        services.book_export_request(actor=cpc, notebook=notebook, format="pdf")


def _inventory(cpc, schools, authors):
    today = timezone.localdate()
    notebook = _notebook(
        cpc=cpc,
        when=_at(today - timedelta(days=25), time(9)),
        slug="inventaire-flore-faune-printaniere",
        title="Un petit inventaire de la flore (et de la faune) printanière",
        subtitle="Ce que nos classes observent autour de l’école",
        theme="Sciences",
        colour=Notebook.Colour.GREEN,
        presentation="<p>Photographiez ou dessinez une plante ou une petite bête observée près de l’école, "
        "nommez-la et dites où vous l’avez trouvée.</p>",
        audience=AudienceKind.DISTRICT,
        contributor_structures=schools,
        opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=60),
        policy=Notebook.Policy.VALIDATED,
    )
    if notebook is None:
        return
    entries = [
        ("Les jonquilles du jardin", "CE1", "publiee", (250, 220, 40), "Des jonquilles jaunes au bord du potager."),
        ("Une coccinelle à sept points", "CP", "publiee", (220, 40, 40), "Une coccinelle rouge sur une feuille."),
        ("Les pâquerettes de la cour", "CE2", "proposee", (250, 250, 250), "Des pâquerettes blanches dans l’herbe."),
        ("Le pissenlit", "CM1", "proposee", (250, 200, 20), "Un pissenlit et ses graines qui s’envolent."),
        ("Les violettes du talus", "CE1", "renvoyee", (140, 80, 200), "Des violettes au pied d’un arbre."),
    ]
    for n, (title, klass, state, petals, alt) in enumerate(entries):
        author = authors[n % len(authors)]
        _page(
            notebook=notebook,
            author=author,
            when=_at(today - timedelta(days=15 - 2 * n)),
            title=title,
            class_label=klass,
            blocks=[
                services.NewBlock(kind="texte", body=f"<p>Nous avons observé : <strong>{title.lower()}</strong>.</p>"),
                services.NewBlock(
                    kind="image",
                    file=picture(
                        f"inventaire-{n}.jpg", petals=petals, centre=(240, 170, 20), sky=(200, 230, 250), seed=n
                    ),
                    alt=alt,
                    no_identifiable_pupil=True,
                ),
            ],
            state=state,
            reviewer=cpc,
        )


def _readings(cpc, schools, authors):
    today = timezone.localdate()
    notebook = _notebook(
        cpc=cpc,
        when=_at(today - timedelta(days=30), time(9)),
        slug="lectures-partagees-cycle-2",
        title="Lectures partagées en cycle 2",
        subtitle="Des classes lisent à voix haute pour d’autres classes",
        theme="Lecture",
        colour=Notebook.Colour.PURPLE,
        presentation="<p>Chaque classe enregistre la lecture d’un court texte avec le dictaphone, et en écrit "
        "la transcription. Les autres classes écoutent et répondent.</p>",
        audience=AudienceKind.STRUCTURES,
        audience_structures=schools,
        teachers_of_readers_contribute=True,
        opens_on=today - timedelta(days=28),
        closes_on=today + timedelta(days=90),
        policy=Notebook.Policy.VALIDATED,
    )
    if notebook is None:
        return
    entries = [
        (
            "Le loup qui voulait changer de couleur",
            "CP",
            (262, 294, 330, 349),
            "Lundi, le loup se trouva tout noir. Il décida de changer de couleur.",
        ),
        (
            "La petite poule rousse",
            "CE1",
            (392, 349, 330, 294),
            "Qui veut m’aider à semer le blé ? demanda la petite poule rousse.",
        ),
        ("Une poésie de printemps", "CE2", (330, 392, 440, 392), "Le printemps est revenu, les hirondelles aussi."),
    ]
    for n, (author, (title, klass, notes, transcript)) in enumerate(zip(authors, entries, strict=False)):
        _page(
            notebook=notebook,
            author=author,
            when=_at(today - timedelta(days=20 - 4 * n)),
            title=title,
            class_label=klass,
            blocks=[
                services.NewBlock(
                    kind="texte", body="<p>Écoutez notre lecture, puis dites-nous ce que vous en pensez.</p>"
                ),
                services.NewBlock(
                    kind="audio",
                    file=tones(f"lecture-{n}.wav", notes),
                    transcript=transcript,
                    no_identifiable_pupil=True,
                ),
            ],
            state="publiee" if n < 2 else "proposee",
            reviewer=cpc,
        )


@transaction.atomic
def seed(command):
    cpc = User.objects.filter(email=COUNSELLOR).first()
    schools = list(Structure.objects.schools().filter(name__in=SCHOOL_NAMES).order_by("name"))
    if cpc is None or len(schools) < 2:
        command.stdout.write("  cahiers : comptes de démonstration absents, rien à faire")
        return
    authors = [a for a in _authors(schools) if a is not None]
    _olympic(cpc, schools, authors)
    _inventory(cpc, schools, authors)
    _readings(cpc, schools, authors)
    command.stdout.write(f"  cahiers : {Notebook.objects.count()} cahiers, {Page.objects.count()} pages")
