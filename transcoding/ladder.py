"""Which rungs to make for a source, and at what size: width follows the display aspect ratio, even dimensions."""

from dataclasses import dataclass

from django.conf import settings

BOX_ASPECT = 16 / 9  # a rung named 1080p is the 1920x1080 box (1080x1920 for portrait); the picture fits inside it


@dataclass(frozen=True)
class Rung:
    height: int  # the rung's nominal height (its name: 240p, 720p ...)
    width: int
    out_height: int
    bitrate_kbps: int
    codec: str = "h264"  # room for "hevc" and "av1" rungs: the encoder arguments are chosen per codec

    @property
    def name(self) -> str:
        return f"{self.height}p"


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def _fit(*, width: int, height: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The source's picture scaled to fit the box, keeping its display aspect, never upscaled, even sizes."""
    scale = min(box_w / width, box_h / height, 1.0)
    if scale == box_w / width:
        return _even(box_w if scale < 1 else width), _even(height * scale)
    return _even(width * scale), _even(box_h if scale < 1 else height)


def ladder_for(*, width: int, height: int, rungs: list[tuple[int, int]] | None = None) -> list[Rung]:
    """Rungs at or below the source, plus the lowest always.

    A rung is its 16:9 box (1080p: 1920x1080; turned upright for portrait video) and the picture fits inside it, so
    the name says the pixel budget whatever the shape: a 1920x800 scope film makes 1080p at 1920x800 (not 720p at
    1728x720), a 4:3 640x480 source 480p at 640x480, a phone video at 1080x1920 1080p at 1080x1920. A rung is made
    when the source fills its box in at least one direction (so nothing is upscaled)."""
    rungs = sorted(rungs or settings.TRANSCODING_LADDER)
    portrait = height > width
    long_side, short_side = max(width, height), min(width, height)
    out = []
    for index, (nominal, kbps) in enumerate(rungs):
        box_long = _even(nominal * BOX_ASPECT)
        if index > 0 and long_side < box_long and short_side < nominal:
            continue
        w, h = _fit(width=long_side, height=short_side, box_w=box_long, box_h=nominal)
        if portrait:
            w, h = h, w
        out.append(Rung(height=nominal, width=w, out_height=h, bitrate_kbps=kbps))
    return sorted(out, key=lambda rung: -rung.height)
