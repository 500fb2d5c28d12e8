"""Thumbnails from the source in one ffmpeg pass: 100 stills spread over the film and trickplay sprite sheets with a
WebVTT track (#xywh=) for scrubbing previews; then a poster frame chosen among the stills (never a black frame)."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageStat

from transcoding import ffmpeg
from transcoding.probe import Probe

TILE_W = 256
COLUMNS = ROWS = 10


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def sprite_interval(duration: float) -> float:
    """Seconds between trickplay tiles: every 10 s for films, denser for shorts (at least 20 tiles)."""
    return max(1.0, min(10.0, duration / 20))


def make(
    *,
    source: str,
    probe: Probe,
    out_dir: Path,
    count: int,
    threads: int,
    log_path: Path,
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Writes thumbs/thumb_001.jpg…, sprites/sprite_001.jpg…, thumbnails.vtt and poster.jpg into out_dir."""
    thumbs, sprites = out_dir / "thumbs", out_dir / "sprites"
    thumbs.mkdir(parents=True, exist_ok=True)
    sprites.mkdir(parents=True, exist_ok=True)
    duration = probe.duration
    tile_h = _even(TILE_W / probe.display_aspect)
    interval = sprite_interval(duration)
    still_rate = count / duration
    ffmpeg.run(
        _stills_and_sprites_command(
            source, probe, thumbs=thumbs, sprites=sprites, count=count, still_rate=still_rate, interval=interval,
            tile_h=tile_h, threads=threads,
        ),
        log_path=log_path,
        on_progress=on_progress,
        should_stop=should_stop,
        poll_seconds=settings.TRANSCODING_HEARTBEAT_SECONDS,
    )  # fmt: skip
    vtt = _write_vtt(out_dir, duration=duration, interval=interval, tile_h=tile_h)
    poster_index, poster_time = choose_poster(sorted(thumbs.glob("thumb_*.jpg")), still_rate)
    poster_time = min(poster_time, max(0.0, duration - 3 / (probe.frame_rate or 25)))  # a frame must follow
    poster = out_dir / "poster.jpg"
    _poster_extract(source, probe, at=poster_time, out=poster, log_path=log_path.with_suffix(".poster.log"))
    return {
        "thumbnails": len(list(thumbs.glob("thumb_*.jpg"))),
        "sprites": len(list(sprites.glob("sprite_*.jpg"))),
        "vtt": vtt.name,
        "poster": poster.name,
        "poster_time": round(poster_time, 3),
        "poster_index": poster_index,
        "sprite_interval": interval,
    }


def _stills_and_sprites_command(
    source: str,
    probe: Probe,
    *,
    thumbs: Path,
    sprites: Path,
    count: int,
    still_rate: float,
    interval: float,
    tile_h: int,
    threads: int,
) -> list[str]:
    """One decode, two outputs: `count` stills spread over the film, and sprite sheets of a tile every `interval`
    seconds. Past ten minutes only keyframes are decoded (a still or tile a few seconds off does not matter)."""
    graph = (
        f"[0:{probe.video_index}]split=2[a][b];"  # the film's stream, never a cover picture stored before it
        f"[a]fps={still_rate:.6f},scale={320}:{_even(320 / probe.display_aspect)},setsar=1[stills];"
        f"[b]fps=1/{interval:.6f},scale={TILE_W}:{tile_h},setsar=1,tile={COLUMNS}x{ROWS}[sheet]"
    )
    return [
        ffmpeg.ffmpeg_exe(),
        *ffmpeg.base_args(),
        "-skip_frame",
        "nokey" if probe.duration > 600 else "default",
        "-i",
        source,
        "-filter_complex",
        graph,
        "-map",
        "[stills]",
        "-frames:v",
        str(count),
        "-q:v",
        "4",
        str(thumbs / "thumb_%03d.jpg"),
        "-map",
        "[sheet]",
        "-q:v",
        "5",
        str(sprites / "sprite_%03d.jpg"),
        # After the last output ffmpeg ignores it ("Trailing option(s)"): kept where it was, so the pass is unchanged.
        "-threads",
        str(threads),
    ]


def _poster_extract(source: str, probe: Probe, *, at: float, out: Path, log_path: Path) -> None:
    """One frame at `at` seconds, at most 1280 wide in the film's display aspect, as a JPEG."""
    width = min(1280, probe.width)
    ffmpeg.run(
        [
            ffmpeg.ffmpeg_exe(),
            *ffmpeg.base_args(),
            "-ss",
            f"{at:.3f}",
            "-i",
            source,
            "-map",
            f"0:{probe.video_index}",
            "-frames:v",
            "1",
            "-vf",
            f"scale={_even(width)}:{_even(width / probe.display_aspect)},setsar=1",
            "-q:v",
            "3",
            str(out),
        ],
        log_path=log_path,
    )


def _write_vtt(out_dir: Path, *, duration: float, interval: float, tile_h: int) -> Path:
    def stamp(seconds: float) -> str:
        ms = int(round(seconds * 1000))
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"

    lines = ["WEBVTT", ""]
    tiles = max(1, int(-(-duration // interval)))
    per_sheet = COLUMNS * ROWS
    for index in range(tiles):
        start, end = index * interval, min(duration, (index + 1) * interval)
        sheet, cell = divmod(index, per_sheet)
        row, column = divmod(cell, COLUMNS)
        lines += [
            f"{stamp(start)} --> {stamp(end)}",
            f"sprites/sprite_{sheet + 1:03d}.jpg#xywh={column * TILE_W},{row * tile_h},{TILE_W},{tile_h}",
            "",
        ]
    path = out_dir / "thumbnails.vtt"
    path.write_text("\n".join(lines))
    return path


def choose_poster(stills: list[Path], still_rate: float) -> tuple[int, float]:
    """The still with the most detail (luminance spread) among those neither near-black nor blown out; its time."""
    best, best_score = 0, -1.0
    for index, path in enumerate(stills):
        with Image.open(path) as image:
            stat = ImageStat.Stat(image.convert("L"))
        mean, spread = stat.mean[0], stat.stddev[0]
        score = spread if 24 <= mean <= 232 else spread / 10
        if index in (0, len(stills) - 1):
            score *= 0.8  # first and last frames are often titles or fades
        if score > best_score:
            best, best_score = index, score
    return best, (best + 0.5) / still_rate
