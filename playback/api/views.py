"""Playback API: thin views over playback.services/selectors (docs/playback.md lists every endpoint)."""

import time
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import selectors as accounts_selectors
from catalog import selectors as catalog_selectors
from playback import drm, manifests, qoe, selectors, services, session_checks, signing
from playback.access import plan_limits
from playback.api.serializers import BeatIn, QoeIn, StartIn, StopIn, progress_out, session_out
from playback.errors import (
    BadSignature,
    DeviceLimitReached,
    FilmNotFound,
    MediaNotReady,
    PlaybackForbidden,
    PlaybackInvalid,
    QualityAboveYourPlan,
    SessionNotFound,
)
from rights import selectors as rights_selectors
from transcoding import selectors as transcoding_selectors

NO_STORE = "no-store, private"


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _profile(request, profile_id):
    if profile_id is None:
        return accounts_selectors.profile_for_session(request=request)
    profile = accounts_selectors.profile_for_request(user=request.user, profile_id=profile_id)
    if profile is None:
        raise PlaybackInvalid(fields={"profile": ["No such profile on this account."]})
    return profile


def _device(request, device_id):
    if device_id is None:
        return getattr(request._request, "wans_device", None) or getattr(request, "wans_device", None)
    device = accounts_selectors.device_active(user_id=request.user.pk, device_id=device_id)
    if device is None:
        raise DeviceLimitReached("This device is signed out of the account: sign in on it again.")
    return device


def _media_expires(session) -> int:
    return signing.media_expires(session_expires_at=session.expires_at)


@extend_schema(request=StartIn, responses={201: dict})
@api_view(["POST"])
def session_start(request):
    data = _valid(StartIn, request.data)
    started = services.session_start(
        user=request.user,
        film_id=data["film"],
        profile=_profile(request, data.get("profile")),
        device=_device(request, data.get("device")),
        territory=rights_selectors.territory_for_request(request=request, user=request.user),
    )
    return Response(selectors.player_config(started=started), status=201)


def _beat(data) -> services.Beat:
    return services.Beat(
        position=data["position"] if data.get("position") is not None else 0.0,
        bitrate=data.get("bitrate"),
        buffer_seconds=data.get("buffer"),
        rebuffer_seconds=data.get("rebuffer_seconds") or 0.0,
        rebuffer_events=data.get("rebuffer_events") or 0,
        duration=data.get("duration") or 0.0,
        events=tuple(dict(e) for e in data.get("events") or ()),
    )


@extend_schema(request=BeatIn, responses={200: dict})
@api_view(["POST"])
def session_heartbeat(request, session_id):
    data = _valid(BeatIn, request.data)
    answer = services.session_heartbeat(session_id=session_id, user=request.user, beat=_beat(data))
    return Response(_with_renewed_tokens(answer, session_id=session_id))


def _with_renewed_tokens(answer: dict, *, session_id) -> dict:
    """A heartbeat that continues the session renews its tokens; a stop (access ended) renews nothing."""
    if answer.get("action") != "continue":
        return answer
    row = selectors.session_get(session_id=session_id)
    media = transcoding_selectors.film_media(film_id=row.film_id)
    return {**answer, "tokens": selectors.session_tokens(session=row, media=media)} if media is not None else answer


@extend_schema(request=StopIn, responses={200: dict})
@api_view(["POST"])
def session_stop(request, session_id):
    data = _valid(StopIn, request.data)
    row = selectors.session_get(session_id=session_id)
    if data.get("position") is None and row is not None:
        data["position"] = row.position_seconds
    row = services.session_stop(session_id=session_id, user=request.user, beat=_beat(data))
    return Response(session_out(row))


@extend_schema(request=None, responses={200: dict})
@api_view(["POST", "DELETE"])
def session_end(request, session_id):
    """End a session from another device (the viewer's own, or any for staff)."""
    return Response(session_out(services.session_end(session_id=session_id, by=request.user)))


@extend_schema(responses={200: dict})
@api_view(["GET"])
def sessions_active(request, user_id: int):
    if request.user.pk != user_id and not request.user.is_staff:
        raise PlaybackForbidden("You can only see your own active streams.")
    user = request.user if request.user.pk == user_id else get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise SessionNotFound("No such account.")
    return Response({"results": [session_out(row) for row in selectors.sessions_active_for(user=user)]})


# --- manifests (bound to a session by its stream token; the player fetches them without credentials) ------------


def _stream_session(request, film_id: int):
    """The session a manifest request speaks for: named by its stream token (`st`, the player fetches manifests
    without credentials), or by id (`session`) for its signed-in owner."""
    token = request.GET.get("st", "")
    if token:
        session_id, owner = signing.stream_token_open(token, film_id=film_id), None
    elif request.user.is_authenticated and request.GET.get("session"):
        session_id, owner = request.GET["session"], request.user
    else:
        raise BadSignature("This manifest needs the session's token (st).")
    row, media = session_checks.stream_session_check(session_id=session_id, film_id=film_id, owner=owner)
    return row, media, token or signing.stream_token(session_id=str(row.pk), film_id=film_id)


def _text(body: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = NO_STORE
    return response


@extend_schema(responses={(200, "application/vnd.apple.mpegurl"): str, (200, "application/dash+xml"): str})
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def stream_manifest(request, film_id: int):
    row, media, token = _stream_session(request, film_id)
    kind = request.GET.get("protocol", "hls")
    if kind == "dash":
        body = manifests.dash_manifest(
            media, session_id=str(row.pk), expires=_media_expires(row), top_height=row.top_height
        )
        return _text(body, "application/dash+xml")
    if kind != "hls":
        raise PlaybackInvalid(fields={"protocol": ["Use hls or dash."]})
    body = manifests.hls_master(
        media,
        film_id=film_id,
        token=token,
        top_height=row.top_height,
        audio_only=request.GET.get("audio_only") in ("1", "true"),
    )
    return _text(body, "application/vnd.apple.mpegurl")


@extend_schema(responses={(200, "application/vnd.apple.mpegurl"): str})
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def stream_hls_media(request, film_id: int, name: str):
    row, media, _ = _stream_session(request, film_id)
    rendition = next((r for r in media.renditions if r.playlist.rpartition("/")[2] == name), None)
    if rendition is None:
        raise SessionNotFound("No such playlist.")
    allowed = manifests.allowed_renditions(media, top_height=row.top_height)
    if rendition.kind != "audio" and rendition not in allowed:
        raise QualityAboveYourPlan()
    key_url = None
    if media.encrypted:
        token = signing.drm_token(session_id=str(row.pk), film_id=film_id)
        key_url = (
            reverse("playback-api:hls-key", kwargs={"film_id": film_id}) + f"?kid={rendition.key_id}&t={quote(token)}"
        )
    body = manifests.hls_media(
        media, rendition=rendition, session_id=str(row.pk), expires=_media_expires(row), key_url=key_url
    )
    return _text(body, "application/vnd.apple.mpegurl")


@extend_schema(responses={(200, "text/vtt"): str})
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def stream_thumbnails(request, film_id: int):
    row, media, _ = _stream_session(request, film_id)
    return _text(manifests.thumbnails_vtt(media, session_id=str(row.pk), expires=_media_expires(row)), "text/vtt")


@extend_schema(responses={200: dict})
@api_view(["GET"])
def stream_qualities(request, film_id: int):
    media = transcoding_selectors.film_media(film_id=film_id)
    if media is None:
        raise MediaNotReady()
    limits = plan_limits(user=request.user)
    qualities = selectors.qualities_for(media=media, top_height=limits.top_height)
    return Response({"film": film_id, "top_height": limits.top_height, "qualities": qualities})


@extend_schema(responses={200: dict})
@api_view(["GET"])
def stream_stats(request, film_id: int):
    film = catalog_selectors.film_get(film_id=film_id)
    if film is None:
        raise FilmNotFound()
    if not catalog_selectors.film_editable_by(film=film, user=request.user):
        raise PlaybackForbidden("Only the film's creator or staff see its statistics.")
    return Response(selectors.film_stats(film_id=film_id))


# --- DRM ----------------------------------------------------------------------------------------------------------


@extend_schema(responses={200: dict})
@api_view(["GET"])
def drm_token(request, film_id: int):
    """A short-lived token for the key and license endpoints, for the caller's own live session of this film."""
    row = session_checks.session_live_check(
        session_id=request.GET.get("session", ""), film_id=film_id, owner=request.user
    )
    token = signing.drm_token(session_id=str(row.pk), film_id=film_id)
    expires = int(time.time()) + settings.PLAYBACK_DRM_TOKEN_SECONDS
    return Response({"token": token, "expires_at": datetime.fromtimestamp(expires, tz=UTC)})


def _drm_session(request, film_id: int):
    token = request.GET.get("t") or request.headers.get("X-WANS-DRM-Token", "")
    return session_checks.drm_session_check(session_id=signing.drm_token_open(token, film_id=film_id), film_id=film_id)


@extend_schema(responses={(200, "application/octet-stream"): bytes})
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def drm_hls_key(request, film_id: int):
    """The 16 key bytes of one key id (`kid`, hex) of the film, when its quality class is within the plan."""
    _, _, classes = _drm_session(request, film_id)
    kid = request.GET.get("kid", "")
    key = transcoding_selectors.film_key_by_kid(film_id=film_id, kid_hex=kid) if kid else None
    if not kid:
        raise PlaybackInvalid(fields={"kid": ["The key id (hex) from the playlist's key URI."]})
    if key is None:
        raise SessionNotFound("No such key.")
    if key.key_class not in classes:
        raise QualityAboveYourPlan()
    response = HttpResponse(key.key, content_type="application/octet-stream")
    response["Cache-Control"] = NO_STORE
    return response


@extend_schema(request={"application/json": dict}, responses={200: dict})
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def drm_clearkey(request, film_id: int):
    _, _, classes = _drm_session(request, film_id)
    answer = drm.clearkey_answer(
        request.body,
        key_for=lambda kid: transcoding_selectors.film_key_by_kid(film_id=film_id, kid_hex=kid.hex()),
        classes=classes,
    )
    response = JsonResponse(answer)
    response["Cache-Control"] = NO_STORE
    return response


@extend_schema(
    request={"application/octet-stream": bytes}, responses={(200, "application/octet-stream"): bytes},
    parameters=[OpenApiParameter("system", str, OpenApiParameter.PATH, enum=list(drm.SYSTEMS))],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def drm_license(request, system: str, film_id: int):
    if system not in drm.SYSTEMS:
        raise PlaybackInvalid(fields={"system": [f"One of {', '.join(drm.SYSTEMS)}."]})
    row, media, classes = _drm_session(request, film_id)
    key_ids = selectors.key_ids_for(media=media, top_height=row.top_height)
    status, content_type, body = drm.license_forward(
        system=system,
        body=request.body,
        content_type=request.content_type,
        key_id=",".join(key_ids.values()),
        session=row,
        user_id=row.user_id,
    )
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Cache-Control"] = NO_STORE
    return response


# --- history ------------------------------------------------------------------------------------------------------


@extend_schema(responses={200: dict})
@api_view(["GET"])
def history(request):
    profile = _profile(request, _int_param(request, "profile"))
    if profile is None:
        return Response({"results": []})
    rows = selectors.history_for(profile_id=profile.pk)
    if request.GET.get("continue") in ("1", "true"):
        rows = selectors.continue_watching(profile_id=profile.pk)
    return Response({"profile": profile.pk, "results": [progress_out(r) for r in rows]})


@extend_schema(responses={204: None})
@api_view(["DELETE"])
def history_remove(request, film_id: int):
    profile = _profile(request, _int_param(request, "profile"))
    if profile is None or not services.history_remove(user=request.user, profile_id=profile.pk, film_id=film_id):
        raise FilmNotFound("This film is not in the profile's history.")
    return Response(status=204)


def _int_param(request, name: str):
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise PlaybackInvalid(fields={name: ["A whole number."]}) from None


# --- quality of experience ------------------------------------------------------------------------------------------


@extend_schema(request=QoeIn, responses={201: dict, 200: dict})
@api_view(["POST"])
def session_qoe(request, session_id):
    """The player reports why it gave up (after its retries); the session may already be stopped."""
    data = _valid(QoeIn, request.data)
    event = qoe.qoe_record(session_id=session_id, kind=data["kind"], detail=data["detail"], by=request.user)
    if event is None:
        return Response({"recorded": False}, status=200)
    return Response({"recorded": True, "id": event.pk, "kind": event.kind}, status=201)
