"""The probe's judgements, kept apart from the reading: why a master is refused (a reason code and words a filmmaker
understands, with what to do), which stream is the film, where each stream really starts and ends, and the colour.

Every refusal is `refuse(code, **values)`: the code is stable (API `error.reason`, tests), the text may improve. The
texts are kept in English (what a job records) and marked for translation: `reason_text` makes one in the reader's
language, from the code and the figures the job keeps (`probe`: {"reason", "values"})."""

import contextlib

import av
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, gettext_noop

from transcoding.errors import MediaRejected

REASONS: dict[str, str] = {
    "missing": gettext_noop("The master file is missing from the upload area. Upload it again."),
    "empty": gettext_noop(
        "The file is empty (zero bytes): the upload or the export did not write anything. Choose the file again "
        "and upload it."
    ),
    "not_media": gettext_noop(
        "This is not a video file we can read: its content is not a known audio or video format. Check that "
        "you chose the right file, and export it as MP4, MOV, MKV or MXF."
    ),
    "no_index": gettext_noop(
        "The file is incomplete: it has no index (in an MP4 or MOV the index is written last, so the "
        "recording or export stopped before it finished). Export it again, or copy the complete file from the camera "
        "card, and upload it again."
    ),
    "still_image": gettext_noop("This is a still image, not a film. Upload a video file."),
    "no_video": gettext_noop(
        "The file has no video: it holds only sound. Upload the film itself (a video file with picture)."
    ),
    "cover_art_only": gettext_noop(
        "The file has no video: its only picture is a cover image attached to the sound. Upload the film "
        "itself (a video file with moving picture)."
    ),
    "zero_duration": gettext_noop(
        "The video lasts 0 seconds: the file holds no playable picture. Export the film again and upload "
        "it again."
    ),
    "too_large": gettext_noop(
        "The picture is too large: {width}×{height} is over the {max_width}×{max_height} limit. Export it at "
        "{max_width}×{max_height}{label} or smaller and upload it again."
    ),
    "undecodable": gettext_noop(
        "No picture could be decoded: the video data is damaged or encoded in a way we cannot read. Export "
        "the film again (H.264, ProRes or DNxHR work everywhere) and upload it again."
    ),
    "truncated": gettext_noop(
        "The file is cut short: its last part is missing, as when an upload or a copy stops early. Copy or "
        "export the file again from the original and upload it again."
    ),
    "damaged_end": gettext_noop(
        "The end of the film cannot be decoded: the last part of the file is damaged. Export the film again "
        "and upload it again."
    ),
}
# ffmpeg stopped on a master the probe accepted: say so, and never hand the creator ffmpeg's own last line
# ("Conversion failed!"); its log's last lines stay in the job's log_tail for staff (admin, API).
UNEXPLAINED_FAILURE = gettext_noop(
    "The conversion stopped with an error we could not explain: the checks of your file found nothing wrong. It is "
    "tried again automatically; if it fails again, our team has the technical details and will look into it. You "
    "do not need to upload the file again."
)
SIZE_LABELS = {(7680, 4320): " (8K UHD)", (3840, 2160): " (4K UHD)", (1920, 1080): " (Full HD)"}


def reason_text(code: str, **values):
    """Why a master is refused, in the language of whoever reads it (lazy)."""
    if code == "too_large":
        values.setdefault("label", SIZE_LABELS.get((values["max_width"], values["max_height"]), ""))
    return format_lazy(gettext_lazy(REASONS[code]), **values)  # marked where they are written


def refuse(code: str, **values) -> MediaRejected:
    message = reason_text(code, **values)
    extra = {"reason": code, "values": values} if values else {"reason": code}
    return MediaRejected(message, fields={"file": [message]}, extra=extra)


def refuse_unreadable(path: str) -> MediaRejected:
    """av.open failed. An MP4/MOV that starts right but cannot open has lost its index (moov): an interrupted
    recording or export, the most common broken master; anything else is not media we know."""
    head = b""
    if "://" not in path:
        try:
            with open(path, "rb") as handle:
                head = handle.read(12)
        except OSError:
            return refuse("missing")
    if head[4:8] in (b"ftyp", b"mdat", b"wide", b"free", b"skip"):
        return refuse("no_index")
    return refuse("not_media")


def check_size(width: int, height: int, *, either_way: bool = False) -> None:
    """Refuse a picture over TRANSCODING_MAX_WIDTH x _HEIGHT. `either_way`: the rotation is not known yet (it comes
    with the first decoded frame), so refuse only what fits neither way round; this runs before anything is decoded,
    so a too-large master is refused for its size, never as a decoding failure."""
    max_w, max_h = settings.TRANSCODING_MAX_WIDTH, settings.TRANSCODING_MAX_HEIGHT
    fits = width <= max_w and height <= max_h
    if either_way:
        fits = fits or (height <= max_w and width <= max_h)
    if not fits:
        raise refuse("too_large", width=width, height=height, max_width=max_w, max_height=max_h)


def _attached(stream) -> bool:
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def declared_seconds(stream) -> float:
    """The stream's own length as its container declares it (MP4 track duration, or Matroska's DURATION tag)."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    tag = stream.metadata.get("DURATION") or stream.metadata.get("duration") or ""
    try:
        h, m, s = tag.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    except ValueError:
        return 0.0


def film_stream(container):
    """The video stream that is the film: never an attached cover picture, and of several video streams the longest
    (a cover image stored as a one-frame track is shorter than the film), then the largest."""
    videos = [s for s in container.streams.video if not _attached(s)]
    if not container.streams.video:
        raise refuse("no_video")
    if not videos:
        raise refuse("cover_art_only")
    return max(videos, key=lambda s: (round(declared_seconds(s), 1), (s.width or 0) * (s.height or 0), -s.index))


def sound_stream(container):
    """The main sound: the stream marked default, else the first."""
    audio = list(container.streams.audio)
    if not audio:
        return None
    default = [a for a in audio if a.disposition & av.stream.Disposition.default]
    return (default or audio)[0]


def start_seconds(stream) -> float | None:
    if stream.start_time is None or not stream.time_base:
        return None
    return float(stream.start_time * stream.time_base)


TS_WRAP = 2**33 / 90_000  # MPEG-TS timestamps wrap every 26.5 hours


def measure_ends(
    container, *, film_index: int, start: float, end: float, wraps: bool, reopen, packet_budget: int = 20_000
) -> dict | None:
    """Where each stream's data really ends, in seconds on the container's clock: seek a little before the declared
    end, read the packets to the end of the file, and keep each stream's last (pts + duration). Reading packets,
    not decoding frames, is what makes this right for a 1 fps picture (one packet covers a second), an audio tail
    longer than the picture, a long GOP (the seek lands on a keyframe far back; the packets still run to the end)
    and a last B-frame (its pts is not the largest). `reopen()` opens the file afresh when the seek fails.

    Returns {stream index: end}, plus "_frames" (video frames the tail decoded) and "_video_packets" (from the
    tail's first keyframe on); None when the tail could not be read within the budget (inconclusive)."""
    target = end - min(3.0, max(0.5, (end - start) * 0.2))
    ends: dict = {}
    frames = video_packets = keyframes = 0
    try:
        if reopen is not None:
            container.seek(int(max(start, target) * av.time_base), backward=True, any_frame=False)
    except av.error.FFmpegError:
        # Some files refuse every seek (Matroska with negative timestamps), and a failed seek leaves the demuxer
        # at its end: read the file again from its start, within the budget.
        with reopen() as again:
            return measure_ends(again, film_index=film_index, start=start, end=start, wraps=wraps, reopen=None)
    try:
        for count, packet in enumerate(container.demux()):
            if count > packet_budget:
                return None
            if packet.pts is None or packet.time_base is None:
                continue
            at = float((packet.pts + (packet.duration or 0)) * packet.time_base)
            if wraps and at < start - 60:
                at += TS_WRAP
            index = packet.stream.index
            ends[index] = max(ends.get(index, at), at)
            if index == film_index and packet.size:
                # Decoding is judged from a keyframe only: an MPEG-TS seek lands mid-GOP, where nothing decodes.
                keyframes += packet.is_keyframe
                if not keyframes:
                    continue
                video_packets += 1
                with contextlib.suppress(av.error.FFmpegError):
                    frames += len(packet.decode())
    except av.error.FFmpegError:
        pass  # data missing at the end: what was read is what the file holds
    with contextlib.suppress(av.error.FFmpegError):
        frames += len(container.streams[film_index].codec_context.decode(None))  # frames held back (B-frames)
    ends["_frames"], ends["_video_packets"] = frames, video_packets
    return ends


COLOUR = {
    "primaries": {1: "bt709", 2: "", 5: "bt470bg", 6: "smpte170m", 9: "bt2020", 11: "smpte431", 12: "smpte432"},
    "transfer": {1: "bt709", 2: "", 4: "bt470m", 5: "bt470bg", 6: "smpte170m", 13: "iec61966-2-1", 14: "bt2020-10",
                 15: "bt2020-12", 16: "smpte2084", 18: "arib-std-b67"},
    "matrix": {0: "gbr", 1: "bt709", 2: "", 5: "bt470bg", 6: "smpte170m", 9: "bt2020nc", 10: "bt2020c"},
}  # fmt: skip
HDR_TRANSFERS = {"smpte2084": "pq", "arib-std-b67": "hlg"}


def colour(codec_context) -> dict:
    """Colour tags by their ffmpeg names ("" = unspecified), and `hdr`: "pq" (HDR10), "hlg", or "" for SDR."""
    primaries = COLOUR["primaries"].get(codec_context.color_primaries or 2, "other")
    transfer = COLOUR["transfer"].get(codec_context.color_trc or 2, "other")
    matrix = COLOUR["matrix"].get(codec_context.colorspace if codec_context.colorspace is not None else 2, "other")
    return {
        "color_primaries": primaries,
        "color_transfer": transfer,
        "color_matrix": matrix,
        "hdr": HDR_TRANSFERS.get(transfer, ""),
    }
