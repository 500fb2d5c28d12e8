"""What a master file is, read with PyAV (the static ffmpeg ships no ffprobe). Refuses what cannot be transcoded."""

import os
from dataclasses import asdict, dataclass, field
from fractions import Fraction

import av
from django.conf import settings

from transcoding.errors import MediaRejected


@dataclass
class Probe:
    container: str
    duration: float
    size_bytes: int
    video_codec: str
    width: int  # as displayed: after rotation and sample aspect ratio
    height: int
    coded_width: int
    coded_height: int
    display_aspect: float
    rotation: int
    frame_rate: float
    variable_frame_rate: bool
    pixel_format: str
    bit_depth: int
    interlaced: bool
    audio: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _reject(reason: str) -> MediaRejected:
    return MediaRejected(reason, fields={"file": [reason]})


def probe(path: str, *, size: int | None = None) -> Probe:
    """Open, inspect and partly decode `path` (a local path, or an http(s) URL with its `size` given: ffmpeg reads
    the header and the tail with range requests). Raises MediaRejected with a reason a creator can act on."""
    if size is None:
        try:
            size = os.path.getsize(path)
        except OSError:
            raise _reject("The master file is missing.") from None
    if size == 0:
        raise _reject("The file is empty (zero bytes).")
    try:
        container = av.open(path, timeout=60)
    except av.error.FFmpegError:
        raise _reject("This is not a media file we can read (or its header is truncated).") from None
    with container:
        if not container.streams.video:
            raise _reject("The file has no video stream.")
        video = container.streams.video[0]
        duration = (container.duration or 0) / 1_000_000
        if not duration and video.duration and video.time_base:
            duration = float(video.duration * video.time_base)
        if duration <= 0:
            raise _reject("The file has a duration of 0 seconds.")
        try:
            first = next(container.decode(video=0))
        except (StopIteration, av.error.FFmpegError):
            raise _reject("No picture could be decoded: the video stream is empty or damaged.") from None
        rotation = int(getattr(first, "rotation", 0) or 0) % 360
        interlaced = bool(first.interlaced_frame)
        _check_tail(container, duration)
        sar = video.sample_aspect_ratio or Fraction(1, 1)
        coded_w, coded_h = video.width, video.height
        display_w = round(coded_w * float(sar))
        width, height = (coded_h, display_w) if rotation in (90, 270) else (display_w, coded_h)
        if width > settings.TRANSCODING_MAX_WIDTH or height > settings.TRANSCODING_MAX_HEIGHT:
            raise _reject(
                f"The picture is {width}x{height}; the largest we take is "
                f"{settings.TRANSCODING_MAX_WIDTH}x{settings.TRANSCODING_MAX_HEIGHT}."
            )
        average = float(video.average_rate or video.guessed_rate or 0)
        base = float(video.base_rate or average or 0)
        pix_fmt = video.codec_context.pix_fmt or ""
        depth = video.format.components[0].bits if video.format and video.format.components else 8
        audio = [
            {"codec": a.codec_context.name, "channels": a.channels, "sample_rate": a.sample_rate}
            for a in container.streams.audio
        ]
        return Probe(
            container=container.format.name,
            duration=round(duration, 3),
            size_bytes=size,
            video_codec=video.codec_context.name,
            width=width,
            height=height,
            coded_width=coded_w,
            coded_height=coded_h,
            display_aspect=round(width / height, 5),
            rotation=rotation,
            frame_rate=round(average or base or 25.0, 3),
            variable_frame_rate=bool(average and base and abs(average - base) > 0.01),
            pixel_format=pix_fmt,
            bit_depth=depth,
            interlaced=interlaced,
            audio=audio,
        )


def _check_tail(container, duration: float) -> None:
    """A file cut short may still open: seek near its declared end and decode up to there. When the seek cannot
    land (data missing) the demuxer starts over, so the decoded times must reach the target, not just exist."""
    if duration < 1:
        return
    target = duration - min(1.0, duration * 0.1)
    try:
        container.seek(int(target * av.time_base), any_frame=False, backward=True)
        for frame in container.decode(video=0):
            if frame.time is None:
                continue
            if frame.time >= target - 0.05:
                return
            if frame.time < target - 20:
                break  # the seek did not land: the end is missing
    except av.error.FFmpegError:
        pass
    raise _reject("The file is truncated: its last part cannot be decoded.")
