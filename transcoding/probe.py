"""What a master file is, read with PyAV (the static ffmpeg ships no ffprobe). Refuses what cannot be transcoded,
with the reason in words a filmmaker understands (transcoding/probe_checks.py holds the judgements).

Order matters: existence and size, then the container, then which stream is the film, then the picture's size
(a too-large master is refused for its size before anything is decoded), then one decoded frame, then the tail."""

import os
from dataclasses import asdict, dataclass, field
from fractions import Fraction

import av

from transcoding import probe_checks as checks

STILL_FORMATS = {"image2"}  # and every "<codec>_pipe" demuxer (png_pipe, jpeg_pipe, webp_pipe...): one picture


@dataclass
class Probe:
    container: str
    duration: float  # the film's length: its picture's, from its first to its last frame (the output's length)
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
    # Which streams the encode uses (stream indexes in the file), and where each really starts and ends, in seconds
    # on the file's own clock: the encode moves the picture's start to zero and lines the sound up with it.
    video_index: int = 0
    audio_index: int | None = None
    video_start: float = 0.0
    video_end: float = 0.0
    audio_start: float | None = None
    audio_end: float | None = None
    tail_checked: bool = True  # False: the end could not be read within the budget (neither accepted nor refused)
    color_primaries: str = ""
    color_transfer: str = ""
    color_matrix: str = ""
    hdr: str = ""  # "pq" (HDR10), "hlg", or "" (SDR): HDR is tone-mapped to SDR BT.709 for the H.264 ladder
    subtitles: list[str] = field(default_factory=list)  # languages of the subtitle streams (not transcoded yet)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def audio_offset(self) -> float:
        """How much later the sound starts than the picture (negative: earlier)."""
        return round((self.audio_start or 0.0) - self.video_start, 3) if self.audio_index is not None else 0.0


def probe(path: str, *, size: int | None = None) -> Probe:
    """Open, inspect and partly decode `path` (a local path, or an http(s) URL with its `size` given: ffmpeg reads
    the header and the tail with range requests). Raises MediaRejected with a reason code and a creator's reason."""
    if size is None:
        try:
            size = os.path.getsize(path)
        except OSError:
            raise checks.refuse("missing") from None
    if size == 0:
        raise checks.refuse("empty")
    try:
        container = av.open(path, timeout=60)
    except av.error.FFmpegError:
        raise checks.refuse_unreadable(path) from None
    with container:
        return _inspect(container, size, reopen=lambda: av.open(path, timeout=60))


def _inspect(container, size: int, *, reopen) -> Probe:
    name = container.format.name
    if name in STILL_FORMATS or name.endswith("_pipe"):
        raise checks.refuse("still_image" if container.streams.video else "not_media")
    video = checks.film_stream(container)
    sar = video.sample_aspect_ratio or Fraction(1, 1)
    coded_w, coded_h = video.width, video.height
    display_w = round(coded_w * float(sar))
    checks.check_size(display_w, coded_h, either_way=True)  # before any decoding; the rotation comes later
    first = _first_frame(container, video)
    rotation = int(getattr(first, "rotation", 0) or 0) % 360
    width, height = (coded_h, display_w) if rotation in (90, 270) else (display_w, coded_h)
    checks.check_size(width, height)

    sound = checks.sound_stream(container)
    start = (container.start_time or 0) / av.time_base
    declared_end = start + (container.duration or 0) / av.time_base
    # The first decoded picture's time, not the stream's declared start: Matroska with negative timestamps
    # declares the picture's start after its first frames.
    video_start = first.time if first.time is not None else checks.start_seconds(video)
    video_start = start if video_start is None else video_start
    ends = checks.measure_ends(
        container,
        film_index=video.index,
        start=start,
        end=declared_end,
        wraps=name in ("mpegts", "mpeg"),
        reopen=reopen,
    )
    video_end = _video_end(video, video_start, declared_end, ends)
    if ends is not None:
        reached = max((v for k, v in ends.items() if isinstance(k, int)), default=start)
        fps = float(video.average_rate or video.guessed_rate or 25)
        if reached < declared_end - max(0.3, 2 / fps):
            raise checks.refuse("truncated")
        if ends["_video_packets"] and not ends["_frames"]:
            raise checks.refuse("damaged_end")
    if video_end - video_start <= 0:
        raise checks.refuse("zero_duration")

    average = float(video.average_rate or video.guessed_rate or 0)
    base = float(video.base_rate or average or 0)
    depth = video.format.components[0].bits if video.format and video.format.components else 8
    audio_start, audio_end = _sound_span(sound, start, declared_end, ends)
    return Probe(
        container=name,
        duration=round(video_end - video_start, 3),
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
        pixel_format=video.codec_context.pix_fmt or "",
        bit_depth=depth,
        interlaced=bool(first.interlaced_frame),
        audio=[
            {
                "codec": a.codec_context.name,
                "channels": a.channels,
                "sample_rate": a.sample_rate,
                "language": a.metadata.get("language", ""),
            }
            for a in container.streams.audio
        ],
        video_index=video.index,
        audio_index=sound.index if sound is not None else None,
        video_start=round(video_start, 3),
        video_end=round(video_end, 3),
        audio_start=None if audio_start is None else round(audio_start, 3),
        audio_end=None if audio_end is None else round(audio_end, 3),
        tail_checked=ends is not None,
        **checks.colour(video.codec_context),
        subtitles=[s.metadata.get("language", "") for s in container.streams.subtitles],
    )


def _first_frame(container, video, packet_limit: int = 300):
    """The first picture, decoding at most `packet_limit` packets (a damaged stream must not be read to its end)."""
    try:
        for count, packet in enumerate(container.demux(video)):
            if count > packet_limit:
                break
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                continue
            if frames:
                return frames[0]
        for frame in video.codec_context.decode(None) or []:
            return frame
    except av.error.FFmpegError:
        pass
    raise checks.refuse("undecodable")


def _sound_span(sound, start: float, declared_end: float, ends: dict | None) -> tuple[float | None, float | None]:
    """Where the main sound starts and ends (None, None without sound): its declared start, its measured end."""
    if sound is None:
        return None, None
    begins = checks.start_seconds(sound)
    begins = start if begins is None else begins
    finishes = ends.get(sound.index) if ends else None
    if finishes is None:
        declared = checks.declared_seconds(sound)
        finishes = begins + declared if declared else declared_end
    return begins, finishes


def _video_end(video, video_start: float, declared_end: float, ends: dict | None) -> float:
    """Where the picture ends: measured from the tail's packets; else its declared length; else the file's end."""
    if ends and video.index in ends:
        return ends[video.index]
    declared = checks.declared_seconds(video)
    return video_start + declared if declared else declared_end
