"""Per-session manifests: only the rungs the plan allows, every init/segment/sprite URL carrying a media token for
its rendition's folder (playback.signing), the HLS key URI pointing at the key endpoint with a fresh session-bound
token and the rendition's key id. Read from protected storage, never served as stored. A rendition whose stored key
id is not the one packaging recorded, or not among the film's current keys, is refused and logged at error level."""

import copy
import logging
import posixpath
import xml.etree.ElementTree as ET  # noqa: S405  (our own packager's MPD from protected storage)
from urllib.parse import quote

from django.core.files.storage import storages
from django.urls import reverse

from playback import signing
from playback.errors import MediaKeyMismatch

log = logging.getLogger(__name__)

MPD = "urn:mpeg:dash:schema:mpd:2011"
CENC = "urn:mpeg:cenc:2013"
for _prefix, _uri in {
    "": MPD,
    "cenc": CENC,
    "mspr": "urn:microsoft:playready",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}.items():
    ET.register_namespace(_prefix, _uri)


# The key URI transcoding writes in stored playlists (transcoding/encryption.py), replaced per session.
KEY_URI_PREFIX = "wans-key://"
AUDIO = "audio"


def read(name: str) -> str:
    with storages["protected"].open(name, "rb") as handle:
        return handle.read().decode()


def allowed_renditions(media, *, top_height: int) -> list:
    """Video renditions at or under the plan's top rung (the lowest always), highest first."""
    videos = sorted(media.video, key=lambda r: -(r.rung or r.height or 0))
    allowed = [r for r in videos if (r.rung or r.height or 0) <= top_height]
    return allowed or videos[-1:]


def allowed_classes(media, *, top_height: int) -> set[str]:
    """The key classes a plan may hold: those of its allowed video renditions, and audio."""
    return {media.key_class(r) for r in allowed_renditions(media, top_height=top_height)} | {AUDIO}


def key_matches(media, rendition, stored_kid: str | None = None) -> bool:
    """The rendition may be served: clear media, or its recorded key id is among the film's current keys (and is
    the one the stored manifest names, when given). A mismatch is logged at error level: it means keys and media
    drifted apart and every viewer would get undecryptable segments."""
    if not media.encrypted:
        return True
    recorded = rendition.key_id
    ok = bool(recorded) and recorded in media.current_kids and (stored_kid is None or stored_kid == recorded)
    if not ok:
        log.error(
            "DRM key mismatch: film %s job %s rendition %s (%s): recorded key id %r, stored manifest names %r, "
            "film's current keys %s. Not served; run `manage.py drm_check` and re-package.",
            media.film_id,
            media.job_id,
            rendition.representation_id,
            rendition.rung or rendition.kind,
            recorded,
            stored_kid,
            sorted(media.current_kids),
        )
    return ok


def servable(media, *, top_height: int) -> list:
    """Every rendition this plan may see whose keys match: the allowed video rungs and the audio tracks."""
    chosen = allowed_renditions(media, top_height=top_height) + [r for r in media.renditions if r.kind == AUDIO]
    return [r for r in chosen if key_matches(media, r)]


def session_tokens(media, *, session_id: str, expires: int, top_height: int) -> dict[str, str]:
    """{scope URL prefix: media token} for every folder this session may fetch from: each servable rendition (its
    HLS and DASH folders) and the sprites. The player applies the newest of these to every media request."""
    scopes = set()
    for rendition in servable(media, top_height=top_height):
        scopes |= {media.folder(rendition, "hls"), media.folder(rendition, "dash")}
    if media.sprite_count:
        scopes.add(media.path("sprites"))
    return {
        signing.scope_url(scope): signing.media_token(scope, session_id=session_id, expires=expires)
        for scope in sorted(scopes)
    }


class _Signer:
    """Media URLs for one session, one token per folder."""

    def __init__(self, *, session_id: str, expires: int):
        self.session_id, self.expires, self.tokens = session_id, expires, {}

    def url(self, path: str) -> str:
        scope = path.rpartition("/")[0]
        if scope not in self.tokens:
            self.tokens[scope] = signing.media_token(scope, session_id=self.session_id, expires=self.expires)
        return signing.media_url(path, token=self.tokens[scope])


def _name(rendition) -> str:
    return rendition.playlist.rpartition("/")[2]


def hls_master(media, *, film_id: int, token: str, top_height: int, audio_only: bool = False) -> str:
    """The master with the disallowed (or key-mismatched) rungs dropped (or only the audio-only variant), media
    playlists routed through the media-playlist endpoint."""
    allowed = {_name(r) for r in servable(media, top_height=top_height)}
    saver = _name(media.audio_only) if media.audio_only else None
    out, pending = [], None
    for line in read(media.hls_master).splitlines():
        if line.startswith("#EXT-X-STREAM-INF"):
            pending = line
            continue
        if pending is not None:
            keep = (line == saver) if audio_only else (line in allowed)
            if keep and line in allowed:
                out += [
                    pending.replace(',AUDIO="audio"', "") if audio_only else pending,
                    _media_url(film_id, line, token),
                ]
            pending = None
            continue
        if line.startswith("#EXT-X-MEDIA:") and 'URI="' in line:
            name = line.split('URI="', 1)[1].split('"', 1)[0]
            if audio_only or name not in allowed:
                continue
            line = line.replace(f'URI="{name}"', f'URI="{_media_url(film_id, name, token)}"')
        out.append(line)
    if not any(line and not line.startswith("#") for line in out):
        raise MediaKeyMismatch()
    return "\n".join(out) + "\n"


def _media_url(film_id: int, name: str, token: str) -> str:
    return reverse("playback-api:hls-media", kwargs={"film_id": film_id, "name": name}) + f"?st={quote(token)}"


def hls_media(media, *, rendition, session_id: str, expires: int, key_url: str | None) -> str:
    """One media playlist: init and segment URIs with the rendition folder's token, the key URI replaced by the
    session's key endpoint for the rendition's key id. Refused when the stored playlist names another key."""
    playlist = media.hls_playlist(rendition)
    folder = playlist.rpartition("/")[0]
    signer = _Signer(session_id=session_id, expires=expires)
    text = read(playlist)
    if media.encrypted:
        stored = next((line for line in text.splitlines() if KEY_URI_PREFIX in line), "")
        stored_kid = stored.split(KEY_URI_PREFIX, 1)[1].split('"', 1)[0] if stored else ""
        if not key_matches(media, rendition, stored_kid):
            raise MediaKeyMismatch()
    out = []
    for line in text.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            uri = line.split('URI="', 1)[1].split('"', 1)[0]
            line = line.replace(f'URI="{uri}"', f'URI="{signer.url(posixpath.join(folder, uri))}"')
        elif line.startswith("#EXT-X-KEY:") and KEY_URI_PREFIX in line:
            uri = line.split('URI="', 1)[1].split('"', 1)[0]
            line = line.replace(f'URI="{uri}"', f'URI="{key_url}"')
        elif line.startswith("#EXT-X-PROGRAM-DATE-TIME"):
            continue
        elif line and not line.startswith("#"):
            line = signer.url(posixpath.join(folder, line))
        out.append(line)
    return "\n".join(out) + "\n"


def _default_kid(adaptation) -> str | None:
    for protection in adaptation.findall(f"{{{MPD}}}ContentProtection"):
        kid = protection.get(f"{{{CENC}}}default_KID")
        if kid:
            return kid.replace("-", "").lower()
    return None


def dash_manifest(media, *, session_id: str, expires: int, top_height: int) -> str:
    """The MPD with only the servable Representations (each adaptation set carries its class's key id, so the
    classes above the plan vanish with their sets), every segment template made absolute with its rendition
    folder's token."""
    root = ET.fromstring(read(media.dash_manifest))  # noqa: S314
    folder = media.dash_manifest.rpartition("/")[0]
    by_id = {r.representation_id: r for r in media.renditions}
    keep = {r.representation_id for r in servable(media, top_height=top_height)}
    signer = _Signer(session_id=session_id, expires=expires)
    for period in root.findall(f"{{{MPD}}}Period"):
        kept_sets = set()
        for adaptation in list(period.findall(f"{{{MPD}}}AdaptationSet")):
            stored_kid = _default_kid(adaptation) if media.encrypted else None
            shared = adaptation.find(f"{{{MPD}}}SegmentTemplate")
            for rep in list(adaptation.findall(f"{{{MPD}}}Representation")):
                rid = rep.get("id")
                rendition = by_id.get(rid)
                if rid not in keep or rendition is None or not key_matches(media, rendition, stored_kid):
                    adaptation.remove(rep)
                    continue
                template = rep.find(f"{{{MPD}}}SegmentTemplate")
                if template is None and shared is not None:
                    template = copy.deepcopy(shared)
                    rep.append(template)
                for attribute in ("initialization", "media"):
                    value = (template.get(attribute) or "").replace("$RepresentationID$", rid)
                    if value:
                        template.set(attribute, signer.url(posixpath.join(folder, value)))
            if shared is not None:
                adaptation.remove(shared)
            reps = adaptation.findall(f"{{{MPD}}}Representation")
            if not reps:
                period.remove(adaptation)
                continue
            kept_sets.add(adaptation.get("id"))
            heights = [int(r.get("height")) for r in reps if r.get("height")]
            if adaptation.get("maxHeight") and heights:
                adaptation.set("maxHeight", str(max(heights)))
                adaptation.set("maxWidth", str(max(int(r.get("width")) for r in reps if r.get("width"))))
        for adaptation in period.findall(f"{{{MPD}}}AdaptationSet"):
            for prop in list(adaptation.findall(f"{{{MPD}}}SupplementalProperty")):
                if prop.get("schemeIdUri") != "urn:mpeg:dash:adaptation-set-switching:2016":
                    continue
                others = [i for i in (prop.get("value") or "").split(",") if i in kept_sets]
                if others:
                    prop.set("value", ",".join(others))
                else:
                    adaptation.remove(prop)
    for parent in list(root.iter()):
        for old in parent.findall(f"{{{MPD}}}BaseURL"):
            parent.remove(old)
    if not any(True for _ in root.iter(f"{{{MPD}}}Representation")):
        raise MediaKeyMismatch()
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def thumbnails_vtt(media, *, session_id: str, expires: int) -> str:
    """The trickplay track with each sprite URL carrying the sprite folder's token."""
    signer = _Signer(session_id=session_id, expires=expires)
    out = []
    for line in read(media.thumbnails_vtt).splitlines():
        if line.startswith("sprites/"):
            name, _, fragment = line.partition("#")
            line = signer.url(media.path(name)) + (f"#{fragment}" if fragment else "")
        out.append(line)
    return "\n".join(out) + "\n"
