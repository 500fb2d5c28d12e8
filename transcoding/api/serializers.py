from rest_framework import serializers

from transcoding.models import AssetKind, Job, JobState, Rendition


class RenditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rendition
        fields = [
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
        ]


class JobSerializer(serializers.ModelSerializer):
    renditions = RenditionSerializer(many=True, read_only=True)
    stage = serializers.CharField(source="state")
    log_tail = serializers.SerializerMethodField(
        help_text="ffmpeg's last lines of the last run, for staff diagnosing a failure (null for everyone else)."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "film",
            "kind",
            "state",
            "stage",
            "progress",
            "eta_seconds",
            "attempts",
            "error",
            "probe",
            "duration_seconds",
            "realtime_factor",
            "output_prefix",
            "renditions",
            "created_at",
            "started_at",
            "finished_at",
            "heartbeat_at",
            "log_tail",
        ]

    def get_log_tail(self, job: Job) -> str | None:
        request = self.context.get("request")
        return job.log_tail if request is not None and request.user.is_staff else None


class UploadStartSerializer(serializers.Serializer):
    film = serializers.IntegerField(min_value=1)
    filename = serializers.CharField(max_length=255)
    size = serializers.IntegerField(min_value=1, max_value=2 * 1024**4)
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=AssetKind.choices, default=AssetKind.FEATURE)


class PartSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=10_000)
    etag = serializers.CharField(max_length=100)


class UploadCompleteSerializer(serializers.Serializer):
    upload_id = serializers.UUIDField()
    parts = PartSerializer(many=True, required=False)


class JobCreateSerializer(serializers.Serializer):
    upload_id = serializers.UUIDField()


class ProgressSerializer(serializers.Serializer):
    progress = serializers.FloatField(min_value=0, max_value=100)
    eta_seconds = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    worker = serializers.CharField(max_length=200, required=False, default="remote")


class RemoteEventSerializer(serializers.Serializer):
    event_id = serializers.CharField(max_length=100)
    job_id = serializers.IntegerField(min_value=1)
    outcome = serializers.ChoiceField(choices=["progress", "completed", "failed"])
    progress = serializers.FloatField(min_value=0, max_value=100, required=False)
    error = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


STATUS_CHOICES = JobState.values


class JobPosterSerializer(serializers.Serializer):
    thumbnail = serializers.IntegerField(
        min_value=1, required=False, help_text="A still's number (1-based); none: the pipeline's poster pick."
    )
