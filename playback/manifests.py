"""Per-session manifests: only the rungs the plan allows, every media URL signed, the HLS key URI pointing at the
key endpoint with a fresh session-bound token. Read from protected storage, never served as stored."""

import xml.etree.ElementTree as ET  # noqa: S405  (our own packager's MPD from protected storage)
from urllib.parse import quote

from django.core.files.storage import storages
from django.urls import reverse

from playback import signing

MPD = "urn:mpeg:dash:schema:mpd:2011"
for _prefix, _uri in {
    "": MPD,
    "cenc": "urn:mpeg:cenc:2013",
    "mspr": "urn:microsoft:playready",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}.items():
    ET.register_namespace(_prefix, _uri)


# The key URI transcoding writes in stored playlists (transcoding/encryption.py), replaced per session.
KEY_URI_PREFIX = "wans-key://"


def read(name: str) -> str:
    with storages["protected"].open(name, "rb") as handle:
        return handle.read().decode()


def allowed_renditions(media, *, top_height: int) -> list:
    """Video renditions at or under the plan's top rung (the lowest always), highest first."""
    videos = sorted(media.video, key=lambda r: -(r.rung or r.height or 0))
    allowed = [r for r in videos if (r.rung or r.height or 0) <= top_height]
    return allowed or videos[-1:]


def hls_master(media, *, film_id: int, token: str, top_height: int, audio_only: bool = False) -> str:
    """The master with the disallowed rungs dropped (or only the audio-only variant), media playlists routed
    through the media-playlist endpoint."""
    allowed = {r.playlist.rpartition("/")[2] for r in allowed_renditions(media, top_height=top_height)}
    saver = media.audio_only.playlist.rpartition("/")[2] if media.audio_only else None
    audio = {r.playlist.rpartition("/")[2] for r in media.renditions if r.kind == "audio"}
    out, pending = [], None
    for line in read(media.hls_master).splitlines():
        if line.startswith("#EXT-X-STREAM-INF"):
            pending = line
            continue
        if pending is not None:
            keep = (line == saver) if audio_only else (line in allowed or line in audio)
            if keep:
                out += [
                    pending.replace(',AUDIO="audio"', "") if audio_only else pending,
                    _media_url(film_id, line, token),
                ]
            pending = None
            continue
        if line.startswith("#EXT-X-MEDIA:") and 'URI="' in line:
            if audio_only:
                continue
            name = line.split('URI="', 1)[1].split('"', 1)[0]
            line = line.replace(f'URI="{name}"', f'URI="{_media_url(film_id, name, token)}"')
        out.append(line)
    return "\n".join(out) + "\n"


def _media_url(film_id: int, name: str, token: str) -> str:
    return reverse("playback-api:hls-media", kwargs={"film_id": film_id, "name": name}) + f"?st={quote(token)}"


def hls_media(media, *, name: str, film_id: int, expires: int, key_url: str | None) -> str:
    """One media playlist: segment and init URIs signed (one folder signature), the key URI replaced."""
    playlist = media.path(f"hls/{name}" if media.encrypted else name)
    base = signing.signed_base(playlist.rpartition("/")[0], expires=expires)
    out = []
    for line in read(playlist).splitlines():
        if line.startswith("#EXT-X-MAP:"):
            uri = line.split('URI="', 1)[1].split('"', 1)[0]
            line = line.replace(f'URI="{uri}"', f'URI="{base}{uri}"')
        elif line.startswith("#EXT-X-KEY:") and KEY_URI_PREFIX in line:
            uri = line.split('URI="', 1)[1].split('"', 1)[0]
            line = line.replace(f'URI="{uri}"', f'URI="{key_url}"')
        elif line.startswith("#EXT-X-PROGRAM-DATE-TIME"):
            continue
        elif line and not line.startswith("#"):
            line = base + line
        out.append(line)
    return "\n".join(out) + "\n"


def dash_manifest(media, *, expires: int, top_height: int) -> str:
    """The MPD with the disallowed video Representations removed and a signed BaseURL for its folder."""
    root = ET.fromstring(read(media.dash_manifest))  # noqa: S314
    allowed_heights = {r.height for r in allowed_renditions(media, top_height=top_height)}
    for adaptation in root.iter(f"{{{MPD}}}AdaptationSet"):
        for rep in list(adaptation.findall(f"{{{MPD}}}Representation")):
            height = rep.get("height")
            if height is not None and int(height) not in allowed_heights:
                adaptation.remove(rep)
        if adaptation.get("maxHeight"):
            adaptation.set("maxHeight", str(max(allowed_heights)))
            widths = [int(r.get("width")) for r in adaptation.findall(f"{{{MPD}}}Representation") if r.get("width")]
            if widths:
                adaptation.set("maxWidth", str(max(widths)))
    for old in root.findall(f"{{{MPD}}}BaseURL"):
        root.remove(old)
    base = ET.Element(f"{{{MPD}}}BaseURL")
    base.text = signing.signed_base(media.dash_manifest.rpartition("/")[0], expires=expires)
    root.insert(0, base)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def thumbnails_vtt(media, *, expires: int) -> str:
    """The trickplay track with each sprite URL signed."""
    base = signing.signed_base(media.path("sprites"), expires=expires)
    out = []
    for line in read(media.thumbnails_vtt).splitlines():
        if line.startswith("sprites/"):
            line = base + line.removeprefix("sprites/")
        out.append(line)
    return "\n".join(out) + "\n"
