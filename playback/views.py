"""Site views: the watch page, and protected media behind signed URLs (development; the edge in production)."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import selectors as accounts_selectors
from catalog import selectors as catalog_selectors
from core.exceptions import error_body
from playback import signing, throttle
from playback.errors import BadSignature, SegmentThrottled

TYPES = {".m4s": "video/iso.segment", ".m3u8": "application/vnd.apple.mpegurl", ".mpd": "application/dash+xml"}


@login_required
def watch(request, slug: str):
    film = catalog_selectors.film_for_detail(user=request.user, id_or_slug=slug)
    if film is None:
        raise Http404("No such film.")
    profile = accounts_selectors.profile_for_session(request=request)
    return render(request, "playback/watch.html", {"film": film, "profile": profile})


# Segments, init files and sprites never change at a path (a re-package writes a new prefix): any cache may keep
# them, keyed by the path alone, while the edge keeps checking the token of each request (docs/playback.md).
IMMUTABLE = "public, max-age=31536000, immutable"


@require_GET
def protected(request, path: str):
    """A file of protected storage, for a media token (`?t=`, playback.signing) whose scope is the file's folder,
    checked with no database query. PLAYBACK_SENDFILE hands the file to nginx (X-Accel-Redirect) or Apache
    (X-Sendfile) instead of streaming it."""
    try:
        grant = signing.verify(path=path, token=request.GET.get("t", ""))
    except BadSignature as refused:
        return JsonResponse(error_body(refused.code, refused.message), status=403)
    try:
        throttle.segment_fetch_check(key=f"session:{grant.session}", path=grant.path, session_id=grant.session)
    except SegmentThrottled as refused:
        response = JsonResponse(refused.as_body(), status=refused.http_status)
        response["Retry-After"] = str(refused.extra["retry_after"])
        response["Cache-Control"] = "no-store"
        return response
    return _serve(grant.path)


def _serve(name: str):
    storage = storages["protected"]
    content_type = TYPES.get(Path(name).suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if settings.PLAYBACK_SENDFILE == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PLAYBACK_ACCEL_PREFIX.rstrip("/") + "/" + name
    elif not hasattr(storage, "path"):
        return HttpResponseRedirect(storage.url(name))  # a bucket: its own short-lived presigned URL
    else:
        try:
            local = storage.path(name)
        except NotImplementedError:
            return HttpResponseRedirect(storage.url(name))
        if not Path(local).is_file():
            return JsonResponse(error_body("not_found", "No such file."), status=404)
        if settings.PLAYBACK_SENDFILE == "x-sendfile":
            response = HttpResponse(content_type=content_type)
            response["X-Sendfile"] = local
        else:
            response = FileResponse(open(local, "rb"), content_type=content_type)  # noqa: SIM115
    response["Cache-Control"] = IMMUTABLE
    response["Access-Control-Allow-Origin"] = "*"
    return response
