"""Builders for the portal's tests: creators (approved or applying), their films, teammates."""

import io
import subprocess
from pathlib import Path

import imageio_ffmpeg
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog import services as catalog_services


def approved_creator(make_user, name: str = "Kina Films"):
    """An approved creator whose page's address is made from `name` ("Kina Films" -> kina-films)."""
    return make_user("creator", display_name=name)


def film_of(creator, title: str = "Sepik River"):
    return catalog_services.film_create(creator=creator, data={"title": title})


def png(name: str = "poster.png", size=(200, 300)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_clip(path: Path, *, seconds: int = 2, video_kbit: int | None = None) -> Path:
    """A small H.264/AAC test pattern (made here: transcoding's samples module is not its public API). With
    `video_kbit` the picture is sent at that constant bit rate (x264 pads it with filler data): a real film a few
    seconds long that is many megabytes, for uploads in several S3-sized parts."""
    rate = ["-b:v", f"{video_kbit}k", "-minrate", f"{video_kbit}k", "-maxrate", f"{video_kbit}k", "-bufsize",
            f"{video_kbit // 25}k", "-x264-params", "nal-hrd=cbr"] if video_kbit else []
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
               f"testsrc2=size=320x180:rate=25:duration={seconds}", "-f", "lavfi", "-i",
               f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast", *rate, "-pix_fmt",
               "yuv420p", "-c:a", "aac", "-shortest", str(path)]
    subprocess.run(command, check=True)  # noqa: S603
    return path
