"""The registry in the Django admin, written through the same services as the site."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join

from ent.admin import ReadOnlyAdminMixin, ServiceModelAdmin

from . import accounts_purge, permissions, services
from .models import AccountClosure, ConsentRequest, DistrictPolicy, GuardianDecision, MediaDeclaration, Pupil


@admin.register(Pupil)
class PupilAdmin(ServiceModelAdmin):
    list_display = ("__str__", "school", "school_year", "guardians")
    list_filter = ("school_year", "class_name")
    search_fields = ("search_name", "school__name")
    autocomplete_fields = ("school",)
    fields = ("school", "first_name", "last_initial", "class_name", "school_year", "guardians")

    def get_readonly_fields(self, request, obj=None):
        return ("school",) if obj else ()

    def create(self, request, form):
        data = form.cleaned_data
        return services.pupil_create(
            actor=request.user,
            school=data["school"],
            first_name=data["first_name"],
            last_initial=data["last_initial"],
            class_name=data["class_name"],
            school_year=data["school_year"],
            guardians=data["guardians"],
        )

    def update(self, request, obj, form):
        values = {name: form.cleaned_data[name] for name in services.PUPIL_FIELDS if name in form.cleaned_data}
        return services.pupil_update(actor=request.user, pupil=obj, **values)

    def delete(self, request, obj):
        services.pupil_delete(actor=request.user, pupil=obj)

    def may_change(self, user, obj):
        return permissions.can_edit_registry(user, obj.school)

    may_delete = may_change


@admin.register(ConsentRequest)
class ConsentRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Requests are written on the site (their form needs the school's projects); read here."""

    list_display = ("title", "school", "school_year", "project", "form_version", "valid_until")
    list_filter = ("project", "school_year")
    search_fields = ("title", "school__name")


@admin.register(GuardianDecision)
class GuardianDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each guardian's answer; « Retirer l'autorisation » withdraws through the service and lists what it hid."""

    list_display = ("pupil", "request", "guardian", "status", "signed_on", "recorded_by", "recorded_at")
    list_filter = ("decision", ("withdrawn_at", admin.EmptyFieldListFilter))
    search_fields = ("pupil__search_name", "request__title")
    list_select_related = ("pupil", "request", "recorded_by")
    actions = ["withdraw"]
    readonly_fields = ("affected_items",)

    @admin.display(description="statut")
    def status(self, obj):
        return obj.status_label

    @admin.display(description="médias concernés (masqués s’ils sont retirés)")
    def affected_items(self, obj):
        items = list(services.affected_media(pupil=obj.pupil, request=obj.request))
        if not items:
            return "Aucun média publié ne montre cet élève."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — {} ({})</li>",
                ((str(m), m.holder or "non rattaché", "masqué" if m.is_withheld else "en ligne") for m in items),
            ),
        )

    @admin.action(description="Retirer l’autorisation (masque les médias de l’élève)")
    def withdraw(self, request, queryset):
        done = 0
        for decision in queryset.select_related("request__school", "pupil"):
            try:
                services.decision_withdraw(actor=request.user, decision=decision)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{decision} : {error}", messages.ERROR)
        self.message_user(request, f"{done} autorisation(s) retirée(s) : les médias concernés sont masqués.")


@admin.register(MediaDeclaration)
class MediaDeclarationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who each photo or recording shows, and whether it is masked (the affected items of a withdrawal)."""

    list_display = ("media", "no_identifiable_pupil", "shown", "declared_by", "declared_at", "withheld")
    list_filter = ("no_identifiable_pupil", ("media__withheld_at", admin.EmptyFieldListFilter))
    list_select_related = ("media", "declared_by")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("pupils")

    @admin.display(description="élèves")
    def shown(self, obj):
        return ", ".join(p.short_name for p in obj.pupils.all()) or "—"

    @admin.display(description="masqué", boolean=True)
    def withheld(self, obj):
        return obj.media.is_withheld


@admin.register(DistrictPolicy)
class DistrictPolicyAdmin(ServiceModelAdmin):
    list_display = ("district", "guardians_required")
    fields = ("district", "guardians_required")

    def create(self, request, form):
        data = form.cleaned_data
        return services.policy_set(
            actor=request.user, district=data["district"], guardians_required=data["guardians_required"]
        )

    def update(self, request, obj, form):
        return services.policy_set(
            actor=request.user, district=obj.district, guardians_required=form.cleaned_data["guardians_required"]
        )

    def delete(self, request, obj):
        raise PermissionDenied

    def may_add(self, user):
        return permissions.can_manage_policy(user)

    def may_change(self, user, obj):
        return permissions.can_manage_policy(user)

    def may_delete(self, user, obj):
        return False


@admin.register(AccountClosure)
class AccountClosureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Closed accounts (no membership left) and the date their personal data will be purged. The
    person's objection to keeping their contributions is recorded here, through the service."""

    list_display = ("__str__", "user", "purge_on", "objected", "purged_at")
    list_filter = ("objected", ("purged_at", admin.EmptyFieldListFilter))
    search_fields = ("school_name", "user__sort_name", "user__email")
    actions = ("record_objection", "withdraw_objection")

    def _set(self, request, queryset, objected):
        count = 0
        for closure in queryset.filter(purged_at__isnull=True):
            accounts_purge.closure_set_objection(actor=request.user, closure=closure, objected=objected)
            count += 1
        self.message_user(request, f"{count} compte(s) mis à jour.", messages.SUCCESS)

    @admin.action(description="Enregistrer l’opposition : supprimer ses contributions lors de l’effacement")
    def record_objection(self, request, queryset):
        self._set(request, queryset, True)

    @admin.action(description="Retirer l’opposition : garder ses contributions (« ancien membre »)")
    def withdraw_objection(self, request, queryset):
        self._set(request, queryset, False)
