"""Running ffmpeg: the one-pass ladder command (its filter graph built with ffmpeg-python), and a runner that reads
-progress, tails the log and can stop."""

import contextlib
import ctypes
import os
import shlex
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffmpeg_python  # ffmpeg-python (PyPI), not this module: builds the ladder's filter graph
import imageio_ffmpeg
from ffmpeg.nodes import FilterableStream

from transcoding import timeline
from transcoding.ladder import Rung
from transcoding.probe import Probe


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def _video_encoder_args(rungs: list[Rung], *, preset: str, crf: int) -> list[str]:
    args = []
    for index, rung in enumerate(rungs):
        if rung.codec != "h264":  # HEVC/AV1 rungs would choose libx265/libsvtav1 here
            raise ValueError(f"codec {rung.codec} is not enabled")
        k = rung.bitrate_kbps
        args += [
            f"-c:v:{index}",
            "libx264",
            f"-profile:v:{index}",
            "high",
            f"-preset:v:{index}",
            preset,
            f"-crf:v:{index}",
            str(crf),
            f"-maxrate:v:{index}",
            f"{k}k",
            f"-bufsize:v:{index}",
            f"{2 * k}k",
        ]
    return args


def base_args() -> list[str]:
    """What every ffmpeg run here starts with: no banner, no stdin, overwrite, and progress as key=value lines on
    stdout instead of the stats line on stderr (run() reads them)."""
    return ["-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1"]


def ladder_graph(*, source: str, rungs: list[Rung], probe: Probe, audio_outputs: int) -> list[FilterableStream]:
    """The ladder's filter graph (ffmpeg-python): the film's picture on one clock from 0, HDR tone-mapped to SDR
    (timeline.py), split once and scaled to every rung; its sound split into `audio_outputs` tracks. Returns the
    streams to map, video rungs first (highest first, as `rungs`), then audio."""
    dar = Fraction(probe.width, probe.height).limit_denominator(10_000)
    film = ffmpeg_python.input(source)
    pictures = timeline.video_input(film, probe).filter_multi_output("split")
    streams = [
        pictures[i]
        .filter("scale", w=rung.width, h=rung.out_height, flags="bicubic")
        .filter("setdar", f"{dar.numerator}/{dar.denominator}")
        .filter("format", "yuv420p")
        for i, rung in enumerate(rungs)
    ]
    if probe.audio_index is not None:
        streams += timeline.audio_chain(film, probe, audio_outputs)
    return streams


def ladder_command(
    *,
    source: str,
    out_dir: Path | None,
    rungs: list[Rung],
    probe: Probe,
    segment_seconds: int,
    threads: int,
    preset: str,
    crf: int,
    audio_kbps: int,
    audio_only_kbps: int | None,
) -> list[str]:
    """One ffmpeg process: decode once, split, scale every rung, encode with keyframes aligned on segment
    boundaries (fixed GOP, no scene-cut keyframes), and write CMAF fMP4 segments with a DASH MPD and HLS media
    playlists over the same files. out_dir None writes to the null muxer (the encode cost alone); audio_only_kbps
    None leaves out the data-saver audio track (the benchmark's one-process-per-rung baseline).

    ffmpeg-python writes the input, the filter graph and the -map of every stream (ladder_graph); the encoder and
    muxer options follow in our order, by hand, before the target (docs/transcoding.md says why)."""
    has_audio = probe.audio_index is not None
    streams = ladder_graph(source=source, rungs=rungs, probe=probe, audio_outputs=2 if audio_only_kbps else 1)
    target = "-" if out_dir is None else str(out_dir / "manifest.mpd")
    graph = ffmpeg_python.output(*streams, target).compile(cmd=[ffmpeg_exe(), *base_args()])
    options = [
        *_video_encoder_args(rungs, preset=preset, crf=crf),
        *_keyframe_args(probe, segment_seconds=segment_seconds),
        *(timeline.SDR_TAGS if probe.hdr else []),
    ]
    if has_audio:
        options += ["-c:a", "aac", "-ac", "2", "-ar", "48000", "-b:a:0", f"{audio_kbps}k"]
        if audio_only_kbps:
            options += ["-b:a:1", f"{audio_only_kbps}k"]
    options += ["-threads", str(threads)]
    muxer = ["-f", "null"] if out_dir is None else _cmaf_muxer_args(segment_seconds, has_audio=has_audio)
    return [*graph[:-1], *options, *muxer, target]


def _keyframe_args(probe: Probe, *, segment_seconds: int) -> list[str]:
    """A keyframe at every segment boundary and nowhere else (fixed GOP, no scene cuts); a variable frame rate made
    constant, so that every GOP is whole."""
    fps = probe.frame_rate or 25.0
    if probe.variable_frame_rate:
        fps = max(1, round(fps))  # a phone's 29.7 average becomes constant 30: whole GOPs, a clean FRAME-RATE
    gop = str(max(1, round(fps * segment_seconds)))
    args = ["-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-force_key_frames",
            f"expr:gte(t,n_forced*{segment_seconds})"]
    if probe.variable_frame_rate:
        args += ["-fps_mode", "cfr", "-r", f"{fps:g}"]
    return args


def _cmaf_muxer_args(segment_seconds: int, *, has_audio: bool) -> list[str]:
    """The dash muxer writing CMAF fMP4 segments, its MPD and HLS media playlists over the same files."""
    sets = "id=0,streams=v id=1,streams=a" if has_audio else "id=0,streams=v"
    return [
        "-f",
        "dash",
        "-seg_duration",
        str(segment_seconds),
        "-use_template",
        "1",
        "-use_timeline",
        "0",
        "-init_seg_name",
        "init_$RepresentationID$.m4s",
        "-media_seg_name",
        "seg_$RepresentationID$_$Number%05d$.m4s",
        "-adaptation_sets",
        sets,
        "-hls_playlist",
        "1",
        "-hls_master_name",
        "ffmpeg_master.m3u8",
    ]


class FFmpegFailed(Exception):
    def __init__(self, returncode: int, log_tail: str):
        self.returncode = returncode
        self.log_tail = log_tail
        super().__init__(f"ffmpeg exited with {returncode}")


class FFmpegStopped(Exception):
    pass


def run(
    cmd: list[str],
    *,
    log_path: Path,
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    poll_seconds: float = 2.0,
) -> str:
    """Run ffmpeg, calling on_progress(seconds encoded) at most every poll_seconds and should_stop() as often;
    a True from should_stop terminates ffmpeg and raises FFmpegStopped. Returns the log's last lines."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603  (our own argv, no shell)
            cmd, stdout=subprocess.PIPE, stderr=log, process_group=0, preexec_fn=_die_with_parent(os.getpid())
        )
        last = 0.0
        done = 0.0
        try:
            assert process.stdout is not None
            for raw in process.stdout:
                line = raw.decode("utf-8", "replace").strip()
                if line.startswith("out_time_us=") and line[12:].lstrip("-").isdigit():
                    done = max(done, int(line[12:]) / 1_000_000)
                now = time.monotonic()
                if now - last >= poll_seconds or line == "progress=end":
                    last = now
                    if should_stop and should_stop():
                        _signal_group(process, signal.SIGTERM)
                        process.wait(timeout=10)
                        raise FFmpegStopped()
                    if on_progress:
                        on_progress(done)
            returncode = process.wait()
        finally:
            # Whatever ended this run (a stop, an exception, the task being terminated), nothing of ffmpeg's stays.
            if process.poll() is None:  # never signal a reaped pid's group: the number may belong to another
                _signal_group(process, signal.SIGKILL)
                process.wait()
    tail = log_tail(log_path)
    if returncode != 0:
        raise FFmpegFailed(returncode, tail)
    return tail


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """ffmpeg must not outlive the worker that started it (a killed worker left it encoding into a dead attempt's
    folder). On Linux the child asks the kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), checked
    against the race where the parent died before the call; elsewhere only the process group is used."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:
            os._exit(1)

    return preexec


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    """ffmpeg runs in its own process group (process_group=0): signal all of it, not only the leader."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))
    except OSError:
        return ""


def command_line(cmd: list[str]) -> str:
    return shlex.join(cmd)
