from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import MediaFile


@admin.register(MediaFile)
class MediaFileAdmin(admin.ModelAdmin):
    """Follow-up of uploads: what failed and why, and re-processing. Files are never shown here."""

    list_display = ("__str__", "kind", "status", "uploaded_by", "holder_label", "created_at", "error")
    list_filter = ("status", "kind")
    search_fields = ("original_name", "uploaded_by__email", "uploaded_by__last_name", "public_id")
    list_select_related = ("uploaded_by", "holder_content_type")
    date_hierarchy = "created_at"
    actions = ["reprocess"]
    ordering = ("-created_at",)
    fieldsets = (
        (None, {"fields": ("public_id", "kind", "status", "error", "attempts")}),
        ("Envoi", {"fields": ("original_name", "uploaded_by", "created_at", "processed_at", "holder_label")}),
        ("Contenu", {"fields": ("alt_text", "content_type", "size_label", "width", "height", "duration")}),
    )
    readonly_fields = (
        "public_id",
        "kind",
        "status",
        "error",
        "attempts",
        "original_name",
        "uploaded_by",
        "created_at",
        "processed_at",
        "holder_label",
        "content_type",
        "size_label",
        "width",
        "height",
        "duration",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("holder")

    def has_add_permission(self, request):
        return False  # Files arrive through the pages of the site, checked and processed.

    @admin.display(description="rattaché à")
    def holder_label(self, obj):
        if obj.holder_content_type_id is None:
            return "— (pas encore rattaché)"
        holder = obj.holder
        label = obj.holder_content_type.name
        return f"{label} : {holder}" if holder is not None else f"{label} n° {obj.holder_object_id} (supprimé)"

    @admin.action(description="Relancer le traitement des fichiers sélectionnés", permissions=["change"])
    def reprocess(self, request, queryset):
        relaunched, refusals = 0, []
        for media in queryset:
            try:
                services.media_reprocess(media=media, actor=request.user)
            except ValidationError as error:
                refusals.append(f"« {media} » : {error.messages[0]}")
                continue
            self.log_change(request, media, "Traitement relancé.")
            relaunched += 1
        if relaunched:
            self.message_user(
                request,
                f"Traitement relancé pour {relaunched} fichier{'s' if relaunched > 1 else ''}.",
                messages.SUCCESS,
            )
        for refusal in refusals:
            self.message_user(request, refusal, messages.WARNING)
