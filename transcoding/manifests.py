"""Reading the manifests ffmpeg wrote: the streams of its DASH MPD, and the segments of an HLS media playlist. A leaf
that packaging (measure, write the master) and encryption (join a stream's segments) both read, so neither imports
the other's helpers."""

import xml.etree.ElementTree as ET  # noqa: S405  (we parse the MPD ffmpeg just wrote, not outside input)
from dataclasses import dataclass
from pathlib import Path

MPD_NS = {"mpd": "urn:mpeg:dash:schema:mpd:2011"}


@dataclass
class Stream:
    representation_id: str
    kind: str  # video | audio
    codecs: str
    width: int | None
    height: int | None
    frame_rate: float | None
    declared_bandwidth: int
    playlist: str
    peak_bandwidth: int = 0
    average_bandwidth: int = 0
    size_bytes: int = 0
    rung: int | None = None
    key_class: str = ""
    key_id: str = ""  # hex, once encrypted


def _rate(value: str | None) -> float | None:
    if not value:
        return None
    if "/" in value:
        num, den = value.split("/")
        return round(int(num) / int(den), 3)
    return float(value)


def read_mpd(out_dir: Path) -> list[Stream]:
    tree = ET.parse(out_dir / "manifest.mpd")  # noqa: S314
    streams = []
    for adaptation in tree.getroot().iterfind(".//mpd:AdaptationSet", MPD_NS):
        kind = adaptation.get("contentType") or ""
        for rep in adaptation.iterfind("mpd:Representation", MPD_NS):
            rid = rep.get("id")
            streams.append(
                Stream(
                    representation_id=rid,
                    kind=kind or ("video" if rep.get("width") else "audio"),
                    codecs=rep.get("codecs", ""),
                    width=int(rep.get("width")) if rep.get("width") else None,
                    height=int(rep.get("height")) if rep.get("height") else None,
                    frame_rate=_rate(rep.get("frameRate") or adaptation.get("frameRate")),
                    declared_bandwidth=int(rep.get("bandwidth", 0)),
                    playlist=f"media_{rid}.m3u8",
                )
            )
    return streams


def media_segments(playlist: Path) -> list[tuple[float, str]]:
    """(duration, uri) of each segment of an HLS media playlist."""
    segments, duration = [], None
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXTINF:"):
            duration = float(line[8:].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append((duration, line))
            duration = None
    return segments
