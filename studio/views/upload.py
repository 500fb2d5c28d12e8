"""Upload of a film's master with Uppy (static/js/studio-upload.js, speaking transcoding's upload API), then the
transcoding job's progress, live, and a failure in plain words with a Retry button."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import DomainError
from studio.access import Seat, seat_film, seat_required
from transcoding import selectors as transcoding_selectors
from transcoding import services as transcoding_services

STAGES = {
    "queued": gettext_lazy("Waiting for a free encoder"),
    "probing": gettext_lazy("Checking the file"),
    "transcoding": gettext_lazy("Making the versions for every screen and connection"),
    "packaging": gettext_lazy("Preparing for streaming"),
    "uploading": gettext_lazy("Storing the versions"),
    "completed": gettext_lazy("Ready to stream"),
    "failed": gettext_lazy("Could not be processed"),
    "cancelled": gettext_lazy("Cancelled"),
}


def job_state(job) -> dict | None:
    """What the page shows of a job; the same dictionary renders the page and answers the polling."""
    if job is None:
        return None
    return {
        "id": job.pk,
        "state": job.state,
        "stage": str(STAGES.get(job.state, job.state)),
        "percent": 100 if job.state == "completed" else int(job.progress),
        "eta_seconds": job.eta_seconds,
        "error": transcoding_selectors.job_error_text(job=job) if job.state == "failed" else "",
        "finished": job.state in {"completed", "failed", "cancelled"},
        "can_retry": job.state in {"failed", "cancelled"},
    }


def _storage_origins() -> list[str]:
    """Where the page sends the master's parts besides this site: the bucket, when uploads go to S3 (presigned
    URLs, path or virtual-host style), for the Content-Security-Policy's connect-src."""
    if not settings.AWS_STORAGE_BUCKET_NAME:
        return []
    endpoint = settings.AWS_S3_ENDPOINT_URL
    if not endpoint:
        return ["https://*.amazonaws.com"]
    parts = urlsplit(endpoint)
    return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]


def _latest_job(film):
    return transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk]).get(film.pk)


@seat_required(edit=True)
@require_GET
def film_upload(request: HttpRequest, seat: Seat, film_id: int) -> HttpResponse:
    film = seat_film(seat=seat, film_id=film_id)
    response = render(request, "studio/film_upload.html", {
        "film": film, "job": job_state(_latest_job(film)), "upload_words": {
            "note": _("One video file, up to 50 GB"),
            "retrying": _("A part did not arrive: sending it again."),
            "partFailed": _("A part did not arrive."),
            "network": _("The connection dropped. The upload carries on when it is back."),
            "cancelled": _("Upload cancelled."),
            "failed": _("The upload failed. Try again."),
            "eta": _("about %s min left"),
            "etaSoon": _("less than a minute left"),
            # Uppy's own words (its %{...} placeholders stay as they are)
            "uppy": {
                "dropPasteFiles": _("Drop the file here or %{browseFiles}"),
                "browseFiles": _("choose it"),
                "uploadXFiles": {"0": _("Upload the file"), "1": _("Upload the files")},
                "uploadingXFiles": {"0": _("Uploading the file"), "1": _("Uploading the files")},
                "uploading": _("Uploading"),
                "complete": _("Complete"),
                "uploadComplete": _("Upload complete"),
                "uploadFailed": _("Upload failed"),
                "retry": _("Retry"),
                "cancel": _("Cancel"),
                "done": _("Done"),
                "pause": _("Pause"),
                "resume": _("Resume"),
                "removeFile": _("Remove file"),
                "xTimeLeft": _("%{time} left"),
                "noInternetConnection": _("No Internet connection"),
                "connectedToInternet": _("Connected to the Internet"),
                "dataUploadedOfTotal": _("%{complete} of %{total}"),
            },
        },
    })
    origins = _storage_origins()
    if origins:
        response._csp_update = {"connect-src": origins}  # django-csp adds these to the site's policy
    return response


@seat_required(edit=True)
@require_GET
def film_job(request: HttpRequest, seat: Seat, film_id: int) -> JsonResponse:
    """The film's newest job, for the page's short polling (every 2 s while the job runs)."""
    film = seat_film(seat=seat, film_id=film_id)
    return JsonResponse({"job": job_state(_latest_job(film))})


@seat_required(edit=True)
@require_POST
def film_job_retry(request: HttpRequest, seat: Seat, film_id: int) -> HttpResponse:
    film = seat_film(seat=seat, film_id=film_id)
    job = _latest_job(film)
    if job is None or job.state not in {"failed", "cancelled"}:
        messages.info(request, _("Nothing to retry: the film is not failed."))
    else:
        try:
            transcoding_services.job_retry(job=job, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Trying again."))
    return redirect("studio:film-upload", film_id=film.pk)
