from django.contrib import admin, messages

from core.exceptions import DomainError
from transcoding import services
from transcoding.models import Job, Rendition, Upload


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    readonly_fields = (
        "kind",
        "rung",
        "width",
        "height",
        "bitrate_kbps",
        "bandwidth",
        "average_bandwidth",
        "codecs",
        "frame_rate",
        "audio_only",
        "size_bytes",
        "key_id",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "film",
        "kind",
        "state",
        "progress",
        "attempts",
        "layout",
        "duration_seconds",
        "realtime_factor",
        "created_at",
        "finished_at",
    )
    list_filter = ("state", "kind", "layout")  # layout 1: old one-key media, waiting for drm_repackage
    search_fields = ("film__title", "id", "worker")
    readonly_fields = (
        "film",
        "kind",
        "created_by",
        "source_path",
        "source_size",
        "source_sha256",
        "state",
        "progress",
        "eta_seconds",
        "attempts",
        "error",
        "probe",
        "ffmpeg_command",
        "log_tail",
        "worker",
        "heartbeat_at",
        "output_prefix",
        "layout",
        "duration_seconds",
        "realtime_factor",
        "created_at",
        "started_at",
        "finished_at",
    )
    exclude = ("encrypt",)
    inlines = [RenditionInline]
    actions = ["retry", "cancel"]

    def has_add_permission(self, request):
        return False

    def _apply(self, request, queryset, action):
        for job in queryset:
            try:
                action(job=job, by=request.user)
            except DomainError as error:
                self.message_user(request, f"Job {job.pk}: {error.message}", messages.ERROR)

    @admin.action(description="Retry")
    def retry(self, request, queryset):
        self._apply(request, queryset, services.job_retry)

    @admin.action(description="Cancel")
    def cancel(self, request, queryset):
        self._apply(request, queryset, services.job_cancel)


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ("id", "film", "filename", "size", "backend", "completed_at", "created_at")
    list_filter = ("backend",)
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_add_permission(self, request):
        return False
