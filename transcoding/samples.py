"""Source clips made locally with ffmpeg (a moving test pattern with a tone): for the demo, tests and benchmarks."""

import subprocess
from pathlib import Path

from transcoding.ffmpeg import ffmpeg_exe


def make_clip(
    path: Path,
    *,
    width: int,
    height: int,
    seconds: float,
    fps: int = 25,
    rotation: int = 0,
    audio: bool = True,
    frequency: int = 440,
) -> Path:
    """An H.264/AAC MP4; `rotation` stores a display rotation (as phones do) instead of turning the pixels."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}",
    ]
    if audio:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=48000:duration={seconds}"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(fps)]
    if audio:
        cmd += ["-c:a", "aac", "-b:a", "128k", "-shortest"]
    tmp = path.with_suffix(".tmp.mp4") if rotation else path
    subprocess.run([*cmd, str(tmp)], check=True)  # noqa: S603
    if rotation:
        subprocess.run(  # noqa: S603
            [
                ffmpeg_exe(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-nostdin",
                "-y",
                "-display_rotation",
                str(rotation),
                "-i",
                str(tmp),
                "-c",
                "copy",
                str(path),
            ],
            check=True,
        )
        tmp.unlink()
    return path
