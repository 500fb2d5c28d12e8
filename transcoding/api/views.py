from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors as catalog_selectors
from transcoding import posters, remote, selectors, services, uploads
from transcoding.api.serializers import (
    STATUS_CHOICES,
    JobCreateSerializer,
    JobPosterSerializer,
    JobSerializer,
    ProgressSerializer,
    RemoteEventSerializer,
    UploadCompleteSerializer,
    UploadStartSerializer,
)
from transcoding.errors import UploadInvalid


def _film(film_id: int):
    film = catalog_selectors.film_get(film_id=film_id)
    if film is None:
        raise UploadInvalid("No such film.", fields={"film": ["No such film."]})
    return film


def _job_for(request, job_id: int):
    job = selectors.jobs_visible_to(user=request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def _upload_for(request, upload_id):
    upload = selectors.upload_for(upload_id=upload_id, user=request.user)
    if upload is None:
        raise Http404
    return upload


class UploadUrlView(APIView):
    @extend_schema(request=UploadStartSerializer, responses={201: dict})
    def post(self, request):
        serializer = UploadStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = uploads.upload_start(film=_film(data.pop("film")), by=request.user, **data)
        part_url = request.build_absolute_uri(reverse("api-upload-part", args=[upload.pk, 0])).rsplit("/", 1)[0]
        target = uploads.upload_target(upload=upload, part_url=part_url + "/{number}")
        return Response({"upload_id": str(upload.pk), "target": target}, status=status.HTTP_201_CREATED)


class UploadStatusView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request, upload_id):
        return Response(uploads.upload_status(upload=_upload_for(request, upload_id)))


class UploadPartView(APIView):
    """PUT the raw bytes of one part (Content-Length required); read from the socket a megabyte at a time. An
    `X-Part-SHA256` header (the part's hex digest) has the part refused when its bytes differ."""

    @extend_schema(request={"application/octet-stream": bytes}, responses={200: dict})
    def put(self, request, upload_id, number: int):
        upload = _upload_for(request, upload_id)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or -1)
        except ValueError:
            length = -1
        if length < 0:
            raise UploadInvalid("Send the part with a Content-Length.", fields={"body": ["Length required."]})
        uploads.upload_part_write(
            upload=upload, by=request.user, number=number, stream=request._request, length=length,
            sha256=request.headers.get("X-Part-SHA256", ""),
        )
        return Response(uploads.upload_status(upload=upload))


class UploadPartUrlView(APIView):
    """S3 uploads: a fresh presigned URL for part `number` (to resume after the first URLs expired)."""

    @extend_schema(responses={200: dict})
    def get(self, request, upload_id, number: int):
        upload = _upload_for(request, upload_id)
        return Response({"url": uploads.upload_part_url(upload=upload, by=request.user, number=number)})


class UploadCompleteView(APIView):
    @extend_schema(request=UploadCompleteSerializer, responses={201: JobSerializer})
    def post(self, request):
        serializer = UploadCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = _upload_for(request, serializer.validated_data["upload_id"])
        job = uploads.upload_complete(upload=upload, by=request.user, parts=serializer.validated_data.get("parts"))
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobListCreateView(ListAPIView):
    serializer_class = JobSerializer

    def get_queryset(self):
        return selectors.jobs_visible_to(user=self.request.user)

    @extend_schema(request=JobCreateSerializer, responses={201: JobSerializer})
    def post(self, request):
        """A job for a completed upload (the same master transcoded again)."""
        serializer = JobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = _upload_for(request, serializer.validated_data["upload_id"])
        if upload.completed_at is None:
            raise UploadInvalid("Complete the upload first.", fields={"upload_id": ["Not complete."]})
        job = services.job_create(
            film=upload.film,
            by=request.user,
            source_path=uploads.source_for(upload),
            kind=upload.kind,
            size=upload.size,
            sha256=upload.sha256,
        )
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailView(APIView):
    @extend_schema(responses=JobSerializer)
    def get(self, request, job_id: int):
        return Response(JobSerializer(_job_for(request, job_id), context={"request": request}).data)

    @extend_schema(responses=JobSerializer)
    def delete(self, request, job_id: int):
        job = services.job_cancel(job=_job_for(request, job_id), by=request.user)
        return Response(JobSerializer(job).data)


class JobRetryView(APIView):
    @extend_schema(request=None, responses=JobSerializer)
    def post(self, request, job_id: int):
        job = services.job_retry(job=_job_for(request, job_id), by=request.user)
        return Response(JobSerializer(job).data)


class JobPosterView(APIView):
    """Use the job's poster pick (never a black frame), or still number `thumbnail` (1-based), as the film's
    poster (its renditions are made as for an uploaded poster)."""

    @extend_schema(
        request=JobPosterSerializer,
        responses=inline_serializer(
            "JobPosterAnswer", {"film_id": serializers.IntegerField(), "poster": serializers.URLField()}
        ),
    )
    def post(self, request, job_id: int):
        job = _job_for(request, job_id)
        services.require_manager(film=job.film, user=request.user)
        choice = JobPosterSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        film = posters.job_poster_use(job=job, by=request.user, thumbnail=choice.validated_data.get("thumbnail"))
        return Response({"film_id": film.pk, "poster": request.build_absolute_uri(film.poster.url)})


class JobsForFilmView(ListAPIView):
    serializer_class = JobSerializer

    def get_queryset(self):
        jobs = selectors.jobs_visible_to(user=self.request.user)
        if self.kwargs["film_id"] > 2**63 - 1:  # no such film id (BigAutoField); SQLite's driver would overflow
            return jobs.none()
        return jobs.filter(film_id=self.kwargs["film_id"])


@extend_schema_view(get=extend_schema(parameters=[
    OpenApiParameter("status", str, OpenApiParameter.PATH, enum=list(STATUS_CHOICES), description="A job state."),
]))
class JobsByStatusView(ListAPIView):
    serializer_class = JobSerializer

    def get_queryset(self):
        if self.kwargs["status"] not in STATUS_CHOICES:
            raise UploadInvalid(f"Unknown status; one of {', '.join(STATUS_CHOICES)}.", fields={"status": ["Unknown."]})
        return selectors.jobs_visible_to(user=self.request.user).filter(state=self.kwargs["status"])


class QueueStatsView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request):
        if not request.user.is_staff:
            raise PermissionDenied("Queue statistics are for staff.")
        return Response(selectors.queue_stats())


class JobProgressView(APIView):
    """Remote workers report progress with `Authorization: Bearer <TRANSCODING_WORKER_TOKEN>`."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=ProgressSerializer, responses=JobSerializer)
    def patch(self, request, job_id: int):
        remote.worker_token_verify(header=request.headers.get("Authorization", ""))
        job = selectors.job_get(job_id=job_id)
        if job is None:
            raise Http404
        serializer = ProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_progress_report(job=job, **serializer.validated_data)
        return Response(JobSerializer(job).data)


class AkashWebhookView(APIView):
    """A remote (Akash) worker's callback: body signed with HMAC-SHA256 of TRANSCODING_WEBHOOK_SECRET,
    sent as `X-WANS-Signature: sha256=<hex>`. Each event id takes effect once."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=RemoteEventSerializer, responses={200: dict})
    def post(self, request):
        remote.remote_callback_verify(body=request.body, header=request.headers.get(remote.SIGNATURE_HEADER, ""))
        serializer = RemoteEventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = selectors.job_get(job_id=data["job_id"])
        if job is None:
            raise UploadInvalid("No such job.", fields={"job_id": ["No such job."]})
        applied = services.remote_event_handle(
            event_id=data["event_id"],
            job=job,
            outcome=data["outcome"],
            progress=data.get("progress"),
            error=data["error"],
        )
        return Response({"received": True, "applied": applied})
