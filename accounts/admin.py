"""The administration of people, structures and memberships, in French.

Writes that matter go through ``accounts.services``: activating, deactivating and inviting people
(so that who did it, and when, is recorded) and the CSV imports. The lists cost a fixed number of
queries whatever their length: memberships are prefetched and invitation states annotated.
"""

import hashlib
from datetime import timedelta

from allauth.mfa.models import Authenticator as MfaAuthenticator
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, SetUnusablePasswordMixin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from audit.admin import EventInline
from ent.admin import ReadOnlyAdminMixin, titled_filter
from ent.dates import format_datetime, format_day
from ent.forms import URLField

from . import imports, services
from .imports import counted
from .models import (
    AppLink,
    AudienceKind,
    Authenticator,
    District,
    Invitation,
    Membership,
    Role,
    Structure,
    User,
    normalise_email,
)
from .validators import normalise_uai


def _local(moment) -> str:
    return format_datetime(moment, with_weekday=False)


def _current(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": today})
    )


# --- List filters ---------------------------------------------------------------------------


class RoleFilter(admin.SimpleListFilter):
    title = "rôle actuel"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            current = Membership.objects.current().filter(user=OuterRef("pk"), role=self.value())
            return queryset.filter(Exists(current))
        return queryset


class StructureFilter(admin.SimpleListFilter):
    title = "structure (rattachement actuel)"
    parameter_name = "structure"

    def lookups(self, request, model_admin):
        rows = Structure.objects.order_by("kind", "sort_name").values_list("pk", "name", "uai")
        return [(str(pk), f"{name} ({uai})" if uai else name) for pk, name, uai in rows]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            current = Membership.objects.current().filter(user=OuterRef("pk"), structure_id=int(value))
            return queryset.filter(Exists(current))
        return queryset


class InvitationFilter(admin.SimpleListFilter):
    title = "invitation"
    parameter_name = "invitation"

    def lookups(self, request, model_admin):
        return [
            ("mot-de-passe", "mot de passe choisi"),
            ("valide", "lien envoyé, encore valide"),
            ("expire", "lien expiré, sans mot de passe"),
            ("en-cours", "invitation en cours d’envoi"),
            ("jamais", "jamais invitée, sans mot de passe"),
        ]

    def queryset(self, request, queryset):
        no_password = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        invitations = Invitation.objects.filter(user=OuterRef("pk"))
        cutoff = timezone.now() - timedelta(seconds=settings.ENT_INVITATION_MAX_AGE)
        pending = Exists(invitations.filter(sent_at__isnull=True))
        valid = Exists(invitations.filter(sent_at__gte=cutoff))
        match self.value():
            case "mot-de-passe":
                return queryset.exclude(no_password)
            case "valide":
                return queryset.filter(no_password, valid)
            case "expire":
                return queryset.filter(no_password, Exists(invitations.filter(sent_at__lt=cutoff)), ~valid, ~pending)
            case "en-cours":
                return queryset.filter(pending)
            case "jamais":
                return queryset.filter(no_password, ~Exists(invitations))
        return queryset


class CurrentMembershipFilter(admin.SimpleListFilter):
    title = "en cours"
    parameter_name = "en_cours"

    def lookups(self, request, model_admin):
        return [("oui", "en cours"), ("non", "terminé ou à venir")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(_current())
        if self.value() == "non":
            return queryset.exclude(_current())
        return queryset


# --- Inlines --------------------------------------------------------------------------------


class MembershipFormsetMixin:
    """The membership inlines of a person's or a school's page save through ``memberships_save``."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        services.memberships_save(
            actor=request.user, memberships=formset.save(commit=False), deleted=formset.deleted_objects
        )


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ("structure", "role", "speciality", "start_date", "end_date")
    autocomplete_fields = ("structure",)
    verbose_name_plural = "rattachements (rôle dans une structure, pour une période)"

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("structure", "user")


class StructureMembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "speciality", "start_date", "end_date")
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name_plural = "membres (rattachements à cette structure)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "structure")


class HistoryInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Read-only: history is written by the services, never typed in."""

    extra = 0
    can_delete = False
    template = "admin/accounts/edit_inline/history.html"
    empty_text = ""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.view_user") or request.user.has_perm("accounts.change_user")


class AccountHistoryInline(HistoryInline, EventInline):
    """The person's history from the audit trail (activations, deactivations, invitations…)."""

    fields = ("label", "actor", "created_at")
    readonly_fields = fields
    verbose_name_plural = "Qui a activé ce compte, et quand"
    empty_text = "Ce compte n’a encore été ni activé, ni désactivé, ni invité depuis l’administration."


class InvitationInline(HistoryInline):
    model = Invitation
    fk_name = "user"
    fields = ("created_by", "created_at", "sent_at", "link_state")
    readonly_fields = fields
    verbose_name_plural = "invitations (lien pour choisir son mot de passe)"
    empty_text = (
        "Aucune invitation : l’action « Activer et envoyer l’invitation » de la liste des personnes en envoie une."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by").order_by("-created_at")

    @admin.display(description="lien")
    def link_state(self, invitation):
        if invitation.sent_at is None:
            return "en cours d’envoi"
        until = invitation.sent_at + timedelta(seconds=settings.ENT_INVITATION_MAX_AGE)
        if until > timezone.now():
            return f"valable jusqu’au {_local(until)}"
        return f"expiré depuis le {_local(until)}"


# --- CSV imports ----------------------------------------------------------------------------


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text=(
            f"Au plus {imports.MAX_FILE_BYTES // 1024 // 1024} Mo. CSV en UTF-8 ou Windows-1252, séparé par "
            "des points-virgules ou des virgules, comme l’enregistre un tableur."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.text = imports.read_upload(upload)
        except imports.ImportFileError as error:
            raise ValidationError(str(error)) from error
        return upload


class CsvImportMixin:
    """Adds « Importer … (CSV) » to a changelist: upload, preview every line, then confirm.

    Between the preview and the confirmation the decoded text is kept in the session (it is at most
    ``imports.MAX_FILE_BYTES``), with its SHA-256; the confirmation form sends back only that
    digest, so the file imported is the one previewed on the server, never something the browser
    sends again. The session entry is dropped on confirmation or cancellation.
    """

    import_kind = ""  # "schools" or "people"
    import_title = ""
    import_columns: tuple = ()  # (label, description) shown above the upload form
    import_template_name = ""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("importer/", self.admin_site.admin_view(self.import_view), name="{}_{}_import".format(*info)),
            path(
                "importer/modele.csv",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @property
    def _session_key(self):
        return f"accounts_import_{self.import_kind}"

    def _url(self, name):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", current_app=self.admin_site.name)

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        # With a BOM, so that a spreadsheet opens the accents right.
        response = HttpResponse(
            "\ufeff" + imports.template_csv(self.import_kind), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.import_template_name}"'
        return response

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "cancel" in request.POST:
            request.session.pop(self._session_key, None)
            messages.info(request, "Import annulé : rien n’a été enregistré.")
            return redirect(self._url("changelist"))
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request)
        form = CsvUploadForm(request.POST, request.FILES) if request.method == "POST" else CsvUploadForm()
        preview = stored = None
        if form.is_bound and form.is_valid():
            digest = hashlib.sha256(form.text.encode()).hexdigest()
            stored = {"text": form.text, "name": form.cleaned_data["file"].name, "digest": digest}
            preview = self.import_preview(form.text)
            if preview.can_confirm:
                request.session[self._session_key] = stored
            else:
                request.session.pop(self._session_key, None)
        return self._import_page(request, form, preview, stored)

    def _import_confirm(self, request):
        stored = request.session.get(self._session_key)
        if not stored or stored["digest"] != request.POST.get("digest"):
            messages.error(
                request,
                "Cet aperçu n’est plus disponible (expiré, ou un autre fichier a été déposé) : déposez le fichier à nouveau.",
            )
            return redirect(self._url("import"))
        preview = self.import_preview(stored["text"])
        if not preview.can_confirm:
            del request.session[self._session_key]
            messages.warning(request, "Rien à importer : aucune ligne valide n’apporte de changement.")
            return self._import_page(request, CsvUploadForm(), preview, stored)
        result = self.import_rows(request.user, preview.valid_rows)
        del request.session[self._session_key]
        skipped = len(preview.error_lines)
        message = self.import_message(result)
        if skipped:
            message += f" {counted(skipped, 'ligne en erreur ignorée', 'lignes en erreur ignorées')}."
        messages.success(request, message)
        return redirect(self.import_done_url())

    def _import_page(self, request, form, preview, stored):
        context = {
            **self.admin_site.each_context(request),
            "title": self.import_title,
            "opts": self.opts,
            "form": form,
            "preview": preview,
            "stored": stored,
            "columns": self.import_columns,
            "changelist_url": self._url("changelist"),
            "template_url": self._url("import_template"),
        }
        return TemplateResponse(request, "admin/accounts/import.html", context)

    def import_done_url(self):
        return self._url("changelist")


# --- Structures -----------------------------------------------------------------------------


class StructureAdminForm(forms.ModelForm):
    class Meta:
        model = Structure
        fields = (
            "kind",
            "name",
            "code",
            "district",
            "uai",
            "school_type",
            "commune",
            "address",
            "postal_code",
            "phone",
            "email",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text += " Laissé vide pour une école, il vaut son code UAI."

    def clean_uai(self):
        return normalise_uai(self.cleaned_data.get("uai") or "") or None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("code"):
            if cleaned.get("uai"):
                cleaned["code"] = cleaned["uai"].lower()
            elif "code" not in self.errors:
                self.add_error("code", "Donnez un code court, par exemple « rased-lencloitre ».")
        return cleaned


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "academie")
    search_fields = ("name",)


@admin.register(Structure)
class StructureAdmin(MembershipFormsetMixin, CsvImportMixin, admin.ModelAdmin):
    form = StructureAdminForm
    list_display = ("name", "kind_label", "uai", "commune", "member_count")
    list_filter = ("kind", "school_type", "commune")
    search_fields = ("name", "commune", "uai")
    search_help_text = "Nom, commune ou code UAI"
    ordering = ("kind", "sort_name")
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("kind", "name", "code", "district")}),
        ("École", {"fields": ("uai", "school_type")}),
        ("Coordonnées", {"fields": ("commune", "address", "postal_code", "phone", "email")}),
    )
    inlines = (StructureMembershipInline,)

    import_kind = "schools"
    import_title = "Importer des écoles (CSV)"
    import_template_name = "modele-import-ecoles.csv"
    import_columns = (
        ("UAI", "obligatoire : 7 chiffres et la lettre de contrôle, par exemple 0860789R."),
        ("Nom", "obligatoire."),
        ("Type", "obligatoire : maternelle, élémentaire ou primaire."),
        ("Commune", "obligatoire."),
        ("Adresse, Code postal, Téléphone", "facultatifs ; une case vide ne modifie pas la valeur enregistrée."),
        ("Courriel", "facultatif ; vide, l’adresse fonctionnelle vaut ce.<UAI>@ac-<académie>.fr."),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_members=Count("memberships", filter=_current("memberships__"), distinct=True))
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        districts = list(District.objects.values_list("pk", flat=True)[:2])
        if len(districts) == 1:
            initial.setdefault("district", districts[0])
        return initial

    @admin.display(description="type", ordering="school_type")
    def kind_label(self, structure):
        return structure.display_kind

    @admin.display(description="membres", ordering="current_members")
    def member_count(self, structure):
        url = reverse("admin:accounts_user_changelist", current_app=self.admin_site.name)
        label = counted(structure.current_members, "membre", "membres")
        return format_html('<a href="{}?structure={}">{}</a>', url, structure.pk, label)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_preview(self, text):
        return imports.preview_schools(text)

    def import_rows(self, actor, rows):
        return services.schools_import(actor=actor, rows=rows)

    def import_message(self, result):
        return (
            f"{counted(result['created'], 'école créée', 'écoles créées')}, "
            f"{counted(result['updated'], 'mise à jour', 'mises à jour')}, "
            f"{counted(result['unchanged'], 'inchangée', 'inchangées')}."
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "speciality", "structure", "start_date", "end_date", "is_current")
    list_filter = (CurrentMembershipFilter, "role", "structure__kind", "structure")
    search_fields = ("user__first_name", "user__last_name", "user__email", "structure__name", "structure__uai")
    search_help_text = "Nom ou adresse e-mail de la personne, nom ou code UAI de la structure"
    autocomplete_fields = ("user", "structure")
    list_select_related = ("user", "structure")
    list_per_page = 100

    @admin.display(description="en cours", boolean=True)
    def is_current(self, membership):
        return membership.is_current

    def save_model(self, request, obj, form, change):
        services.memberships_save(actor=request.user, memberships=[obj])

    def delete_model(self, request, obj):
        services.memberships_save(actor=request.user, deleted=[obj])

    def delete_queryset(self, request, queryset):
        services.memberships_save(actor=request.user, deleted=queryset.select_related("user"))


# --- People ---------------------------------------------------------------------------------


class UserAddForm(AdminUserCreationForm):
    """A new person: Django's admin creation form (passwords checked and set by Django), with the
    e-mail as login and « pas de mot de passe » chosen by default: the invitation lets the person
    choose theirs. Posted without the choice, a typed password is set and an empty one is not."""

    error_messages = {"password_mismatch": "Les deux mots de passe ne sont pas identiques."}

    usable_password = SetUnusablePasswordMixin.create_usable_password_field(
        help_text="Sans mot de passe, la personne choisira le sien en suivant le lien de l’invitation."
    )
    invite = forms.BooleanField(
        label="Activer le compte et envoyer l’invitation maintenant",
        required=False,
        help_text="Sinon le compte reste inactif ; vous l’activerez depuis la liste des personnes.",
    )

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        usable = self.fields["usable_password"]
        usable.label = "Mot de passe"
        usable.choices = [("false", "Aucun : la personne le choisira (invitation)"), ("true", "Le définir maintenant")]
        usable.initial = "false"
        self.fields["password1"].label = "Mot de passe"
        self.fields["password2"].label = "Confirmation du mot de passe"

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Une personne a déjà cette adresse e-mail.")
        return email

    def validate_passwords(self, *args, **kwargs):
        if not self.cleaned_data.get("usable_password"):  # not chosen: a typed password decides
            typed = self.cleaned_data.get("password1") or self.cleaned_data.get("password2")
            self.cleaned_data["usable_password"] = "true" if typed else "false"
        super().validate_passwords(*args, **kwargs)


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "first_name",
            "last_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )


@admin.register(User)
class UserAdmin(MembershipFormsetMixin, CsvImportMixin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ("full_name", "email", "is_active", "memberships_list", "invitation_state", "is_staff")
    list_display_links = ("full_name", "email")
    list_filter = ("is_active", RoleFilter, StructureFilter, InvitationFilter, "is_staff", "is_superuser")
    search_fields = ("first_name", "last_name", "email")
    search_help_text = "Prénom, nom ou adresse e-mail"
    ordering = ("sort_name",)
    list_per_page = 100
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        (
            "Accès",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": "Activer un compte ici enregistre qui l’a activé et envoie l’invitation, "
                "comme l’action « Activer et envoyer l’invitation » de la liste.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name")}),
        ("Mot de passe (facultatif)", {"fields": ("usable_password", "password1", "password2")}),
        ("Activation", {"fields": ("invite",)}),
    )
    actions = ("activate_and_invite", "reinvite", "deactivate")

    import_kind = "people"
    import_title = "Importer des personnes (CSV)"
    import_template_name = "modele-import-personnes.csv"
    import_columns = (
        ("Courriel", "obligatoire : l’adresse qui sert d’identifiant."),
        ("Prénom, Nom", "obligatoires."),
        (
            "UAI ou code de structure",
            "obligatoire : l’UAI de l’école, ou le code de la structure (équipe de circonscription, RASED). "
            "Peut rester vide pour l’IEN, un·e CPC, le ou la secrétaire ou un membre du RASED s’il n’y a "
            "qu’une équipe ou qu’un RASED.",
        ),
        (
            "Rôle",
            "obligatoire : directeur, directrice, enseignant, enseignante, IEN, CPC (ou conseiller pédagogique), "
            "secrétaire ou RASED.",
        ),
        ("Spécialité", "facultative, pour un·e CPC : numérique, EPS, arts…"),
    )

    def get_inlines(self, request, obj):
        if obj is None:
            return (UserMembershipInline,)
        return (UserMembershipInline, InvitationInline, AccountHistoryInline)

    def get_queryset(self, request):
        sent = Invitation.objects.filter(user=OuterRef("pk"), sent_at__isnull=False).order_by("-sent_at")
        current = Membership.objects.current().select_related("structure").order_by("structure__name", "role")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
            .annotate(
                last_invitation_sent=Subquery(sent.values("sent_at")[:1]),
                invitation_pending=Exists(Invitation.objects.filter(user=OuterRef("pk"), sent_at__isnull=True)),
            )
        )

    @admin.display(description="nom", ordering="sort_name")
    def full_name(self, user):
        return user.get_full_name() or "(sans nom)"

    @admin.display(description="rattachements actuels")
    def memberships_list(self, user):
        if not user.current_memberships:
            return "aucun"
        return format_html_join(
            mark_safe("<br>"), "{} — {}", ((m.role_label, m.structure.name) for m in user.current_memberships)
        )

    @admin.display(description="invitation")
    def invitation_state(self, user):
        if user.has_usable_password():
            return "mot de passe choisi"
        if user.invitation_pending:
            return "en cours d’envoi"
        if user.last_invitation_sent is None:
            return "jamais invitée"
        sent = format_day(user.last_invitation_sent, with_weekday=False)
        expired = user.last_invitation_sent + timedelta(seconds=settings.ENT_INVITATION_MAX_AGE) <= timezone.now()
        return f"envoyée le {sent}, lien expiré" if expired else f"envoyée le {sent}"

    def save_model(self, request, obj, form, change):
        """Activating or deactivating goes through the services, which record who did it."""
        switched = change and "is_active" in form.changed_data
        wanted = obj.is_active
        if switched:
            obj.is_active = not wanted
        super().save_model(request, obj, form, change)
        if (not change and form.cleaned_data.get("invite")) or (switched and wanted):
            self._activation_message(request, services.users_activate_and_invite(actor=request.user, users=[obj]))
        elif switched and not services.users_deactivate(actor=request.user, users=[obj]):
            messages.warning(request, "Vous ne pouvez pas désactiver votre propre compte.")
        obj.refresh_from_db(fields=["is_active"])

    def _activation_message(self, request, result):
        message = (
            f"{counted(result['activated'], 'compte activé', 'comptes activés')}, "
            f"{counted(result['invited'], 'invitation envoyée', 'invitations envoyées')}."
        )
        if result["with_password"]:
            have = counted(result["with_password"], "personne a", "personnes ont")
            message += f" {have} déjà un mot de passe : pas d’invitation."
        if result["activated"] or result["invited"]:
            messages.success(request, message)
        else:
            messages.warning(request, message + " Ces comptes étaient déjà activés et invités.")

    @admin.action(description="Activer et envoyer l’invitation", permissions=["change"])
    def activate_and_invite(self, request, queryset):
        self._activation_message(request, services.users_activate_and_invite(actor=request.user, users=queryset))

    @admin.action(description="Renvoyer l’invitation (lien expiré ou perdu)", permissions=["change"])
    def reinvite(self, request, queryset):
        result = services.users_reinvite(actor=request.user, users=queryset)
        parts = [f"{counted(result['invited'], 'invitation renvoyée', 'invitations renvoyées')}."]
        if result["inactive"]:
            parts.append(
                f"{counted(result['inactive'], 'compte non activé', 'comptes non activés')} : "
                "utilisez « Activer et envoyer l’invitation »."
            )
        if result["with_password"]:
            have = counted(result["with_password"], "personne a", "personnes ont")
            parts.append(f"{have} déjà choisi un mot de passe : « Mot de passe oublié » sur la page de connexion.")
        if result["recent"]:
            minutes = int(services.REINVITE_COOLDOWN.total_seconds() // 60)
            have = counted(result["recent"], "personne a", "personnes ont")
            parts.append(f"{have} déjà reçu une invitation il y a moins de {minutes} minutes.")
        level = messages.SUCCESS if result["invited"] else messages.WARNING
        self.message_user(request, " ".join(parts), level)

    @admin.action(description="Désactiver", permissions=["change"])
    def deactivate(self, request, queryset):
        count = services.users_deactivate(actor=request.user, users=queryset)
        message = f"{counted(count, 'compte désactivé', 'comptes désactivés')}."
        if queryset.filter(pk=request.user.pk).exists():
            message += " Votre propre compte n’a pas été désactivé."
        self.message_user(request, message, messages.SUCCESS if count else messages.WARNING)

    def has_import_permission(self, request):
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and request.user.has_perm("accounts.add_membership")
        )

    def import_preview(self, text):
        return imports.preview_people(text)

    def import_rows(self, actor, rows):
        return services.people_import(actor=actor, rows=rows)

    def import_message(self, result):
        return (
            f"{counted(result['created'], 'personne créée', 'personnes créées')} (comptes non activés), "
            f"{counted(result['updated'], 'mise à jour', 'mises à jour')}, "
            f"{counted(result['unchanged'], 'inchangée', 'inchangées')} ; "
            f"{counted(result['memberships'], 'rattachement créé', 'rattachements créés')}. "
            "Pour envoyer les invitations, sélectionnez les personnes et choisissez "
            "« Activer et envoyer l’invitation »."
        )

    def import_done_url(self):
        return self._url("changelist") + "?is_active__exact=0"


# --- « Mes applis » ----------------------------------------------------------------------------
class AppLinkAdminForm(forms.ModelForm):
    class Meta:
        model = AppLink
        fields = ["name", "description", "url", "icon", "order", "audience", "audience_structures"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}
        field_classes = {"url": URLField}  # the form class itself, and below the admin's own fields

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") == AudienceKind.STRUCTURES and not cleaned.get("audience_structures"):
            self.add_error("audience_structures", "Choisissez au moins une structure pour ce public.")
        return cleaned


@admin.register(AppLink)
class AppLinkAdmin(admin.ModelAdmin):
    """Plain admin: an outside service's link is configuration, which no site page writes and which
    tells nobody anything (Django's admin history keeps who changed it)."""

    form = AppLinkAdminForm
    formfield_overrides = {models.URLField: {"form_class": URLField}}
    list_display = ("name", "host", "audience", "order")
    list_filter = ("audience",)
    search_fields = ("name", "url")
    filter_horizontal = ("audience_structures",)

    @admin.display(description="site")
    def host(self, obj):
        return obj.host


# --- Two-factor authenticators (allauth's, named in French) --------------------------------

AUTHENTICATOR_LABELS = {
    "user": "personne",
    "type": "type",
    "data": "données",
    "created_at": "créé le",
    "last_used_at": "dernière utilisation",
}


admin.site.unregister(MfaAuthenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """allauth's own admin of authenticators (same columns, filters and raw user field), in French."""

    raw_id_fields = ("user",)
    list_display = ("person", "type_label", "created", "last_used")
    list_filter = (
        "type",
        ("created_at", titled_filter(admin.DateFieldListFilter, AUTHENTICATOR_LABELS["created_at"])),
        ("last_used_at", titled_filter(admin.DateFieldListFilter, AUTHENTICATOR_LABELS["last_used_at"])),
    )
    list_select_related = ("user",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in AUTHENTICATOR_LABELS:
            field.label = capfirst(AUTHENTICATOR_LABELS[db_field.name])
        return field

    @admin.display(description=AUTHENTICATOR_LABELS["user"], ordering="user__sort_name")
    def person(self, authenticator):
        return authenticator.user

    @admin.display(description=AUTHENTICATOR_LABELS["type"], ordering="type")
    def type_label(self, authenticator):
        return authenticator.get_type_display()

    @admin.display(description=AUTHENTICATOR_LABELS["created_at"], ordering="created_at")
    def created(self, authenticator):
        return _local(authenticator.created_at)

    @admin.display(description=AUTHENTICATOR_LABELS["last_used_at"], ordering="last_used_at")
    def last_used(self, authenticator):
        return _local(authenticator.last_used_at) if authenticator.last_used_at else "jamais"
