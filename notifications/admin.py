from django.contrib import admin, messages

from ent.admin import ReadOnlyAdminMixin
from ent.header import unread_changed

from . import kinds, services
from .models import Digest, EmailSettings, EmailState, KindPreference, Notification, PushDelivery, PushSubscription


class KindFilter(admin.SimpleListFilter):
    title = "type"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return [(kind.key, f"{kind.app_name} — {kind.label}") for kind in kinds.all_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class ReadFilter(admin.SimpleListFilter):
    title = "lecture"
    parameter_name = "lue"

    def lookups(self, request, model_admin):
        return [("oui", "Lue"), ("non", "Non lue")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "non":
            return queryset.filter(read_at__isnull=True)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind_label",
        "text",
        "is_read",
        "email_frequency",
        "email_state",
        "emailed_at",
    ]
    list_filter = [KindFilter, ReadFilter, "email_state", "email_frequency", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__last_name", "text", "key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    raw_id_fields = ["recipient", "actor", "digest"]
    readonly_fields = [
        "recipient", "kind", "actor", "target_type", "target_id", "text", "url", "key", "created_at", "read_at",
        "email_frequency", "email_state", "deliver_after", "email_claimed_at", "emailed_at", "digest", "email_error",
        "push_state", "push_after",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["recipient", "kind", "text", "url", "actor", "target_type", "target_id", "key"]}),
        ("Lecture", {"fields": ["created_at", "read_at"]}),
        (
            "E-mail",
            {
                "fields": [
                    "email_frequency",
                    "email_state",
                    "deliver_after",
                    "email_claimed_at",
                    "emailed_at",
                    "digest",
                    "email_error",
                ]
            },
        ),
        ("Sur les appareils", {"fields": ["push_state", "push_after"]}),
    ]
    actions = ["redeliver_failed"]

    def has_add_permission(self, request):
        return False  # notifications come from the apps, through notify()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        unread_changed([obj.recipient_id])  # the person's bell and list (ent.header)

    def delete_queryset(self, request, queryset):
        recipients = set(queryset.values_list("recipient_id", flat=True))
        super().delete_queryset(request, queryset)
        unread_changed(recipients)

    @admin.display(description="type", ordering="kind")
    def kind_label(self, obj):
        info = obj.kind_info
        return f"{info.app_name} — {info.label}"

    @admin.display(description="lue", boolean=True, ordering="read_at")
    def is_read(self, obj):
        return obj.read_at is not None

    @admin.action(description="Renvoyer les e-mails en échec sélectionnés")
    def redeliver_failed(self, request, queryset):
        failed = queryset.filter(email_state=EmailState.FAILED)
        counts = services.notifications_redeliver(actor=request.user, notifications=failed.values_list("pk", flat=True))
        total = counts["immediate"] + counts["digest"]
        if not total:
            self.message_user(request, "Aucun e-mail en échec dans la sélection.", messages.WARNING)
            return
        self.message_user(
            request,
            f"{total} e-mail(s) remis en file : {counts['immediate']} envoi(s) immédiat(s) "
            f"(dès que le droit à la déconnexion le permet), {counts['digest']} avec le prochain résumé.",
            messages.SUCCESS,
        )


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "frequency", "state", "sent_at", "error"]
    list_filter = ["state", "frequency", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__last_name"]
    readonly_fields = ["recipient", "frequency", "state", "created_at", "sent_at", "error"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(EmailSettings)
class EmailSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_hours", "unsubscribed_at", "updated_at"]
    list_filter = ["quiet_hours", ("unsubscribed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__last_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["updated_at"]


@admin.register(KindPreference)
class KindPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind_label", "frequency", "push"]
    list_filter = [KindFilter, "frequency", "push"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__last_name", "kind"]
    raw_id_fields = ["user"]

    @admin.display(description="type", ordering="kind")
    def kind_label(self, obj):
        info = obj.kind_info
        return f"{info.app_name} — {info.label}"


@admin.register(PushSubscription)
class PushSubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The devices people added from their profile; each person removes their own there."""

    list_display = ["user", "label", "created_at", "last_sent_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__last_name", "label"]
    date_hierarchy = "created_at"
    fields = readonly_fields = ["user", "label", "endpoint", "created_at", "last_sent_at"]  # not the device's keys


@admin.register(PushDelivery)
class PushDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "notification", "endpoint_host", "state", "status_code", "error"]
    list_filter = ["state", "endpoint_host", "created_at"]
    list_select_related = ["notification__recipient"]
    raw_id_fields = ["notification", "subscription"]
    date_hierarchy = "created_at"
