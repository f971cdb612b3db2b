"""Every write on the consent registry, and the one check every publisher of media calls.

Each function takes a keyword-only ``actor``, checks ``permissions.py``, runs in a transaction and
records an audit event (``audit.services.record``). ``check_publication`` is the rule of
publication: a publishing service calls it, inside its transaction, before anything is published.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.changes import changes_between, model_fields, snapshot
from audit.services import record
from ent.dates import format_day
from notifications.services import notify
from uploads.models import MediaFile
from uploads.services import media_blur, media_withhold

from . import permissions, projects, publishers, rules
from .models import (
    Channel,
    ConsentRequest,
    DistrictPolicy,
    GuardianDecision,
    MediaDeclaration,
    Medium,
    PrivacyAction,
    Pupil,
    current_school_year,
)

# The reach of a publication, as its refusal names it.
REACH_LABELS = {Channel.ENT: "dans l’ENT", Channel.BOOK: "le livre commun", Channel.PUBLIC: "le site public"}
# What of a pupil each kind of media shows (documents are not checked: see docs/architecture/privacy.md).
MEDIUM_OF_KIND = {MediaFile.Kind.IMAGE: Medium.IMAGE, MediaFile.Kind.AUDIO: Medium.VOICE}
KIND_WORDS = {MediaFile.Kind.IMAGE: "la photo", MediaFile.Kind.AUDIO: "l’enregistrement"}
MEDIUM_WORDS = {Medium.IMAGE: "d’image", Medium.VOICE: "de voix"}


def _require_editor(actor, school) -> None:
    if not permissions.can_edit_registry(actor, school):
        raise PermissionDenied("Seuls l’équipe de l’école et l’équipe de circonscription tiennent ce registre.")


# --- Pupils -----------------------------------------------------------------------------------

PUPIL_FIELDS = ("first_name", "last_initial", "class_name", "school_year", "guardians")


def _clean_pupil(first_name: str, last_initial: str, class_name: str) -> tuple[str, str, str]:
    first_name, class_name = " ".join(first_name.split()), " ".join(class_name.split())
    initial = last_initial.strip().rstrip(".")[:1].upper()
    errors = {}
    if not first_name:
        errors["first_name"] = "Indiquez le prénom de l’élève."
    if not initial or not initial.isalpha():
        errors["last_initial"] = "Indiquez l’initiale du nom (une lettre)."
    if not class_name:
        errors["class_name"] = "Indiquez la classe (par exemple « CM1 »)."
    if errors:
        raise ValidationError(errors)
    return first_name, initial, class_name


def pupil_create(
    *, actor, school, first_name: str, last_initial: str, class_name: str, school_year: str = "", guardians: int = 2
) -> Pupil:
    _require_editor(actor, school)
    first_name, last_initial, class_name = _clean_pupil(first_name, last_initial, class_name)
    with transaction.atomic():
        pupil = Pupil.objects.create(
            school=school,
            first_name=first_name,
            last_initial=last_initial,
            class_name=class_name,
            school_year=school_year or current_school_year(),
            guardians=2 if guardians not in (1, 2) else guardians,
        )
        record(actor=actor, target=pupil, action=PrivacyAction.PUPIL_CREATED)
    return pupil


def pupil_update(*, actor, pupil: Pupil, **values) -> Pupil:
    _require_editor(actor, pupil.school)
    unknown = set(values) - set(PUPIL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown pupil fields: {sorted(unknown)}")
    fields = model_fields(Pupil, PUPIL_FIELDS)
    with transaction.atomic():
        pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
        before = snapshot(pupil, fields)
        merged = {name: values.get(name, getattr(pupil, name)) for name in PUPIL_FIELDS}
        merged["first_name"], merged["last_initial"], merged["class_name"] = _clean_pupil(
            merged["first_name"], merged["last_initial"], merged["class_name"]
        )
        for name, value in merged.items():
            setattr(pupil, name, value)
        pupil.save()
        changes = changes_between(before, snapshot(pupil, fields), fields)
        if changes:
            record(actor=actor, target=pupil, action=PrivacyAction.PUPIL_UPDATED, changes=changes)
    return pupil


def pupil_delete(*, actor, pupil: Pupil) -> None:
    _require_editor(actor, pupil.school)
    with transaction.atomic():
        record(actor=actor, target=pupil.school, action=PrivacyAction.PUPIL_DELETED, label=f"Retrait de {pupil}")
        pupil.delete()


# --- Requests ---------------------------------------------------------------------------------


@dataclass
class RequestInput:
    title: str
    project: str
    media: Sequence[str]
    channels: Sequence[str]
    form_version: str
    valid_until: dt.date
    project_object: object = None
    school_year: str = ""


def _validate_request(data: RequestInput) -> None:
    errors = {}
    if not data.title.strip():
        errors["title"] = "Nommez le projet, tel que les familles le liront."
    if data.project not in ConsentRequest.Project.values:
        errors["project"] = "Choisissez le projet."
    elif data.project != ConsentRequest.Project.SCHOOL_LIFE and data.project_object is None:
        errors["project"] = "Choisissez le cahier, le blog ou l’actualité que couvre la demande."
    if not data.media or set(data.media) - set(Medium.values):
        errors["media"] = "Cochez au moins un média (image, voix, prénom, travaux)."
    if not data.channels or set(data.channels) - set(Channel.values):
        errors["channels"] = "Cochez au moins un canal de diffusion."
    if not data.form_version.strip():
        errors["form_version"] = "Indiquez la version du texte du formulaire."
    if data.valid_until is None or data.valid_until < timezone.localdate():
        errors["valid_until"] = "La date de validité doit être aujourd’hui ou plus tard."
    if errors:
        raise ValidationError(errors)


def _apply_request(request: ConsentRequest, data: RequestInput) -> None:
    request.title = " ".join(data.title.split())
    request.project = data.project
    if data.project == ConsentRequest.Project.SCHOOL_LIFE:
        request.project_object = None
        request.project_content_type = request.project_object_id = None
    else:
        request.project_object = data.project_object
    for medium, field in ConsentRequest.MEDIUM_FIELDS.items():
        setattr(request, field, medium in data.media)
    for channel, field in ConsentRequest.CHANNEL_FIELDS.items():
        setattr(request, field, channel in data.channels)
    request.form_version = data.form_version.strip()
    request.valid_until = data.valid_until
    request.school_year = data.school_year or request.school_year or current_school_year()


def request_create(*, actor, school, data: RequestInput) -> ConsentRequest:
    _require_editor(actor, school)
    _validate_request(data)
    with transaction.atomic():
        request = ConsentRequest(school=school, created_by=actor)
        _apply_request(request, data)
        request.save()
        record(actor=actor, target=request, action=PrivacyAction.REQUEST_CREATED)
    return request


REQUEST_FIELDS = (
    "title",
    "form_version",
    "valid_until",
    *ConsentRequest.MEDIUM_FIELDS.values(),
    *ConsentRequest.CHANNEL_FIELDS.values(),
)


def request_update(*, actor, request: ConsentRequest, data: RequestInput) -> ConsentRequest:
    _require_editor(actor, request.school)
    _validate_request(data)
    fields = model_fields(ConsentRequest, REQUEST_FIELDS)
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
        before = snapshot(request, fields)
        _apply_request(request, data)
        request.save()
        changes = changes_between(before, snapshot(request, fields), fields)
        if changes:
            record(actor=actor, target=request, action=PrivacyAction.REQUEST_UPDATED, changes=changes)
    return request


# --- Guardians' answers -----------------------------------------------------------------------


def decision_record(
    *, actor, request: ConsentRequest, pupil: Pupil, guardian: int, decision: str, signed_on: dt.date
) -> GuardianDecision:
    """Record (or correct) one guardian's answer. A refusal where consent was given takes the media down."""
    _require_editor(actor, request.school)
    errors = {}
    if pupil.school_id != request.school_id:
        raise ValidationError("Cet élève n’est pas inscrit dans l’école de cette demande.")
    if guardian not in (1, 2) or guardian > pupil.guardians:
        errors["guardian"] = "Ce responsable légal n’existe pas pour cet élève."
    if decision not in GuardianDecision.Decision.values:
        errors["decision"] = "Choisissez « accordée » ou « refusée »."
    if signed_on is None or signed_on > timezone.localdate():
        errors["signed_on"] = "La date de signature ne peut pas être dans le futur."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = (
            GuardianDecision.objects.select_for_update().filter(request=request, pupil=pupil, guardian=guardian).first()
        )
        was_granted = existing is not None and existing.is_granted
        row = existing or GuardianDecision(request=request, pupil=pupil, guardian=guardian)
        row.decision, row.signed_on = decision, signed_on
        row.recorded_by, row.recorded_at = actor, timezone.now()
        row.withdrawn_at = row.withdrawn_by = None
        row.save()
        record(
            actor=actor,
            target=pupil,
            action=PrivacyAction.DECISION_RECORDED,
            label=f"{request.title} : responsable {guardian}, {row.get_decision_display().lower()} "
            f"(formulaire du {format_day(signed_on)})",
        )
        if was_granted and decision == GuardianDecision.Decision.REFUSED:
            _take_down(actor=actor, pupil=pupil, request=request)
    return row


def decision_withdraw(*, actor, decision: GuardianDecision) -> GuardianDecision:
    """A family withdraws a consent (as easily as given: RGPD art. 7): every published media of the
    pupil of that kind is withheld at once, and their publishers are told to remove or blur them."""
    _require_editor(actor, decision.request.school)
    with transaction.atomic():
        row = GuardianDecision.objects.select_for_update().select_related("request", "pupil").get(pk=decision.pk)
        if row.withdrawn_at is not None:
            return row
        row.withdrawn_at, row.withdrawn_by = timezone.now(), actor
        row.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            actor=actor,
            target=row.pupil,
            action=PrivacyAction.DECISION_WITHDRAWN,
            label=f"{row.request.title} : autorisation du responsable {row.guardian} retirée",
        )
        _take_down(actor=actor, pupil=row.pupil, request=row.request)
    return row


def affected_media(*, pupil: Pupil, request: ConsentRequest):
    """The attached media showing ``pupil`` whose kind ``request`` allowed (what a withdrawal takes down)."""
    kinds = [kind for kind, medium in MEDIUM_OF_KIND.items() if medium in request.media]
    return (
        MediaFile.objects.filter(privacy_declaration__pupils=pupil, kind__in=kinds, holder_content_type__isnull=False)
        .select_related("uploaded_by", "holder_content_type")
        .order_by("pk")
    )


def _still_allowed(item: MediaFile, pupil: Pupil) -> bool:
    """Does another consent still cover this pupil on this media, where its holder publishes it?"""
    holder = item.holder
    if holder is None:
        return False
    project, reach = projects.publication_of(holder)
    medium = MEDIUM_OF_KIND[item.kind]
    return pupil.pk in rules.allowed_pupils([pupil], medium=medium, channel=reach, project=project)


def _take_down(*, actor, pupil: Pupil, request: ConsentRequest) -> int:
    media = [
        m for m in affected_media(pupil=pupil, request=request) if not m.is_withheld and not _still_allowed(m, pupil)
    ]
    if not media:
        return 0
    reason = f"l’autorisation pour {pupil.short_name} a été retirée."
    media_withhold(media_ids=[m.pk for m in media], reason=reason)
    for takedown in publishers.takedowns():
        takedown(media)
    for item in media:
        record(actor=actor, target=item, action=PrivacyAction.MEDIA_WITHHELD, label=f"Masqué : {reason}")
        holder = item.holder
        url = holder.get_absolute_url() if holder is not None and hasattr(holder, "get_absolute_url") else "/"
        if item.uploaded_by_id:
            notify(
                kind="privacy.media_withheld",
                actor=actor,
                target=item,
                text=f"Autorisation retirée pour {pupil.short_name} : retirez ou floutez "
                f"{KIND_WORDS.get(item.kind, 'le média')} « {item} », masqué{'e' if item.kind == 'image' else ''} "
                "en attendant",
                url=url,
                recipients=[item.uploaded_by_id],
                key=f"privacy.media_withheld:{item.pk}",
                exclude_actor=False,
            )
    return len(media)


def policy_set(*, actor, district, guardians_required: str) -> DistrictPolicy:
    if not permissions.can_manage_policy(actor):
        raise PermissionDenied
    with transaction.atomic():
        policy, _ = DistrictPolicy.objects.get_or_create(district=district)
        before = policy.guardians_required
        policy.guardians_required = guardians_required
        policy.full_clean()
        policy.save()
        if before != guardians_required:
            record(
                actor=actor,
                target=policy,
                action=PrivacyAction.POLICY_UPDATED,
                label=f"Règle : {policy.get_guardians_required_display().lower()}",
            )
    return policy


# --- What a media shows -----------------------------------------------------------------------


def media_declare(*, actor, media: MediaFile, pupils: Iterable[Pupil] = (), no_identifiable_pupil: bool = False):
    """Say, once, who a photo or a recording shows: « aucun élève reconnaissable », or these pupils."""
    if not permissions.can_declare_media(actor, media):
        raise PermissionDenied
    pupils = list(pupils)
    if no_identifiable_pupil and pupils:
        raise ValidationError(
            {"pupils": "Choisissez : aucun élève reconnaissable, ou les élèves visibles — pas les deux."}
        )
    if not no_identifiable_pupil and not pupils:
        raise ValidationError(
            {"pupils": "Indiquez les élèves visibles ou entendus, ou cochez « aucun élève reconnaissable »."}
        )
    allowed_schools = set(
        Pupil.objects.filter(permissions.declarable_pupil_schools(actor)).values_list("school_id", flat=True).distinct()
    )
    if any(p.school_id not in allowed_schools for p in pupils):
        raise ValidationError({"pupils": "Ne choisissez que des élèves des écoles dont vous tenez le registre."})
    with transaction.atomic():
        declaration, _ = MediaDeclaration.objects.update_or_create(
            media=media,
            defaults={
                "no_identifiable_pupil": no_identifiable_pupil,
                "declared_by": actor,
                "declared_at": timezone.now(),
            },
        )
        declaration.pupils.set(pupils)
        shown = "aucun élève reconnaissable" if no_identifiable_pupil else ", ".join(p.short_name for p in pupils)
        record(actor=actor, target=media, action=PrivacyAction.MEDIA_DECLARED, label=f"Déclaré : {shown}")
    return declaration


def media_blur_areas(*, actor, media: MediaFile, regions) -> MediaFile:
    """Blur areas of an image (a pupil without consent) in every stored variant; the unblurred files go."""
    if not permissions.can_declare_media(actor, media):
        raise PermissionDenied
    with transaction.atomic():
        media = media_blur(media=media, regions=regions)
        record(
            actor=actor,
            target=media,
            action=PrivacyAction.MEDIA_BLURRED,
            label=f"{len(regions)} zone{'s' if len(regions) > 1 else ''} floutée{'s' if len(regions) > 1 else ''}",
        )
    return media


# --- The rule of publication ------------------------------------------------------------------


def check_publication(media_items: Iterable[MediaFile], *, reach: str, publisher: str, project=None) -> None:
    """Refuse (``ValidationError``, French) to publish photos or recordings not allowed for ``reach``.

    ``reach`` is a ``Channel`` (``ent``, ``livre``, ``public``); ``project`` the notebook, blog or
    news post published (None: only « la vie de l'école » covers it); ``publisher`` the key the
    calling service registered in ``privacy.publishers``. Each image or recording must carry a
    declaration (« aucun élève reconnaissable » or the pupils shown); every pupil named must be
    allowed that medium on that reach. The message names the media, the pupils and what is missing.
    Documents are not checked. A withheld media is refused too. A few queries, whatever the number.
    """
    publishers.get(publisher)
    if reach not in REACH_LABELS:
        raise ValueError(f"Unknown reach {reach!r}")
    items = [m for m in media_items if m is not None and m.kind in MEDIUM_OF_KIND]
    if not items:
        return
    declarations = {d.media_id: d for d in MediaDeclaration.objects.filter(media__in=items).prefetch_related("pupils")}
    problems = []
    by_medium: dict[str, dict[int, Pupil]] = {}
    for item in items:
        if item.is_withheld:
            problems.append(f"« {item} » est masqué ({item.withheld_reason}) : retirez-le ou remplacez-le.")
            continue
        declaration = declarations.get(item.pk)
        if declaration is None:
            problems.append(
                f"Pour {KIND_WORDS[item.kind]} « {item} », indiquez les élèves visibles ou entendus, "
                "ou « aucun élève reconnaissable »."
            )
            continue
        for pupil in declaration.pupils.all():
            by_medium.setdefault(MEDIUM_OF_KIND[item.kind], {})[pupil.pk] = pupil
    for medium, pupils in sorted(by_medium.items()):
        allowed = rules.allowed_pupils(pupils.values(), medium=medium, channel=reach, project=project)
        missing = sorted((p for p in pupils.values() if p.pk not in allowed), key=lambda p: p.search_name)
        if missing:
            names = ", ".join(f"{p.short_name} ({p.class_name})" for p in missing)
            problems.append(
                f"{names} : pas d’autorisation {MEDIUM_WORDS[medium]} pour {REACH_LABELS[reach]} "
                f"(droit à l’image). Floutez, retirez le média ou recueillez l’autorisation des familles."
            )
    if problems:
        raise ValidationError(["Publication refusée : " + problems[0], *problems[1:]])


def decisions_import(*, actor, request: ConsentRequest, rows) -> int:
    """Record the valid lines of a previewed CSV file (``privacy.imports``), in one transaction."""
    _require_editor(actor, request.school)
    with transaction.atomic():
        for row in rows:
            decision_record(
                actor=actor,
                request=request,
                pupil=row.pupil,
                guardian=row.guardian,
                decision=row.decision,
                signed_on=row.signed_on,
            )
    return len(rows)
