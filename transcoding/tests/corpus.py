"""The ingest corpus: the kinds of master creators really send, generated here with ffmpeg (nothing downloaded),
each with the outcome the probe must give. Clips are 1-3 s and small so the whole corpus runs in CI.

    python -m transcoding.tests.corpus /tmp/corpus     # writes every kind, to feed `manage.py transcode` by hand

`KINDS` is the table; `make(kind, folder)` writes one file and returns its path.
"""

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import imageio_ffmpeg  # the same binary as transcoding.ffmpeg.ffmpeg_exe(), without Django settings

W, H = 320, 180  # small: the probe's judgement does not depend on the size
TONE = "sine=frequency=440:sample_rate=48000:duration={s}"
PATTERN = "testsrc2=size={w}x{h}:rate={r}:duration={s}"


def ff(*args: str) -> None:
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    subprocess.run(cmd, check=True)  # noqa: S603  (our own argv, no shell)


def video_in(seconds: float = 2, *, w: int = W, h: int = H, rate: int = 25) -> list[str]:
    return ["-f", "lavfi", "-i", PATTERN.format(w=w, h=h, r=rate, s=seconds)]


def audio_in(seconds: float = 2) -> list[str]:
    return ["-f", "lavfi", "-i", TONE.format(s=seconds)]


H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "64k"]


@dataclass(frozen=True)
class Kind:
    name: str
    what: str  # what a creator would call it
    build: Callable[[Path], None]  # writes the file at the given path
    suffix: str
    reason: str = ""  # "" = accepted; else the refusal's reason code
    message: str = ""  # the exact refusal text
    probe: dict = field(default_factory=dict)  # accepted: probe fields that must hold
    settings: dict = field(default_factory=dict)  # settings the kind runs under (a small size limit)


# --- accepted ----------------------------------------------------------------------------------------------------


def _plain_mp4(path: Path) -> None:
    ff(*video_in(2), *audio_in(2), *H264, "-g", "25", *AAC, "-shortest", str(path))


def _phone_rotation_vfr(path: Path) -> None:
    # A phone: 30 fps with frames dropped here and there (variable frame rate), stored sideways with a rotation.
    tmp = path.with_suffix(".tmp.mp4")
    ff(
        *video_in(2, rate=30),
        *audio_in(2),
        "-vf",
        "select='not(eq(mod(n\\,7)\\,3))'",
        "-fps_mode",
        "vfr",
        *H264,
        *AAC,
        "-shortest",
        str(tmp),
    )
    ff("-display_rotation", "90", "-i", str(tmp), "-c", "copy", str(path))
    tmp.unlink()


def _mpegts_camera(path: Path) -> None:
    ff(*video_in(2), *audio_in(2), *H264, "-g", "25", "-c:a", "mp2", "-f", "mpegts", str(path))


def _mpegts_late_start(path: Path) -> None:
    # A broadcast/camera recording: timestamps start ten minutes in (and MPEG-TS adds its own 1.4 s).
    ff(*video_in(2), *audio_in(2), *H264, "-g", "25", *AAC, "-output_ts_offset", "600", "-f", "mpegts", str(path))


def _mxf_camera(path: Path) -> None:
    ff(
        *video_in(2, w=720, h=576),
        *audio_in(2),
        "-c:v",
        "mpeg2video",
        "-b:v",
        "4M",
        "-pix_fmt",
        "yuv422p",
        "-c:a",
        "pcm_s16le",
        "-f",
        "mxf",
        str(path),
    )


def _prores(path: Path) -> None:
    ff(*video_in(2), *audio_in(2), "-c:v", "prores_ks", "-profile:v", "2", "-c:a", "pcm_s16le", str(path))


def _dnxhr(path: Path) -> None:
    ff(*video_in(2), *audio_in(2), "-c:v", "dnxhd", "-profile:v", "dnxhr_lb", "-pix_fmt", "yuv422p",
       "-c:a", "pcm_s16le", str(path))  # fmt: skip


def _mov_edit_list(path: Path) -> None:
    # An editor's trim without re-encoding: the cut falls mid-GOP, so the MOV carries an edit list hiding the
    # frames before it (they decode with negative timestamps).
    tmp = path.with_suffix(".tmp.mov")
    ff(*video_in(3), *audio_in(3), *H264, "-g", "50", *AAC, str(tmp))
    ff("-ss", "0.7", "-i", str(tmp), "-c", "copy", str(path))
    tmp.unlink()


def _mov_timecode(path: Path) -> None:
    ff(*video_in(2), *audio_in(2), *H264, *AAC, "-timecode", "01:00:00:00", str(path))


def _screen_1fps(path: Path) -> None:
    ff(*video_in(3, w=640, h=360, rate=1), *H264, "-g", "10", str(path))


def _hdr10_hevc(path: Path) -> None:
    # A real PQ picture: the SDR pattern converted to BT.2020 PQ with its white at BT.2408's 203 nits, in 10-bit
    # HEVC with the HDR10 mastering-display and light-level metadata.
    ff(
        *video_in(2),
        *audio_in(2),
        "-vf",
        "format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv,"
        "zscale=t=linear:npl=203,format=gbrpf32le,zscale=p=bt2020,"
        "zscale=t=smpte2084:m=bt2020nc:r=tv:npl=203,format=yuv420p10le",
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-x265-params",
        "log-level=error:hdr10=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"
        ":master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):max-cll=1000,400",
        "-color_primaries",
        "bt2020",
        "-color_trc",
        "smpte2084",
        "-colorspace",
        "bt2020nc",
        "-tag:v",
        "hvc1",
        *AAC,
        "-shortest",
        str(path),
    )


def _mkv_languages_subtitles(path: Path) -> None:
    srt = path.with_suffix(".srt")
    srt.write_text("1\n00:00:00,000 --> 00:00:01,500\nHello\n\n2\n00:00:01,500 --> 00:00:02,000\nGoodbye\n")
    ff(
        *video_in(2),
        *audio_in(2),
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=660:sample_rate=48000:duration=2",
        "-i",
        str(srt),
        "-i",
        str(srt),
        *["-map", "0:v", "-map", "1:a", "-map", "2:a", "-map", "3:s", "-map", "4:s"],
        *H264,
        *AAC,
        "-c:s:0",
        "srt",
        "-c:s:1",
        "ass",
        *["-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=tpi"],
        *["-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=tpi"],
        str(path),
    )
    srt.unlink()


def _webm_audio_longer(path: Path) -> None:
    ff(*video_in(2), *audio_in(3), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k",
       "-c:a", "libopus", "-b:a", "48k", str(path))  # fmt: skip


def _avi_mjpeg(path: Path) -> None:
    ff(*video_in(2), *audio_in(2), "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p", "-c:a", "pcm_s16le",
       str(path))  # fmt: skip


def _audio_longer(path: Path) -> None:
    ff(*video_in(2), *audio_in(3), *H264, *AAC, str(path))


def _audio_shorter(path: Path) -> None:
    ff(*video_in(3), *audio_in(1.5), *H264, *AAC, str(path))


def _audio_starts_late(path: Path) -> None:
    # Sound recorded separately and laid in half a second after the picture starts.
    ff(*video_in(2), "-itsoffset", "0.5", *audio_in(1.5), *H264, *AAC, str(path))


def _negative_timestamps(path: Path) -> None:
    # Timestamps from -0.5 s: the MP4 keeps the packets below zero and an edit list that starts the film at zero.
    ff(*video_in(2), *audio_in(2), *H264, *AAC, "-avoid_negative_ts", "disabled", "-output_ts_offset", "-0.5",
       str(path))  # fmt: skip


def _cover_art_first(path: Path) -> None:
    # A cover image stored as the FIRST video stream (attached picture), the film second.
    png = path.with_suffix(".png")
    ff("-f", "lavfi", "-i", "color=c=red:size=200x200", "-frames:v", "1", str(png))
    ff(*video_in(2), *audio_in(2), "-i", str(png), *["-map", "2", "-map", "0", "-map", "1"], "-c:v:0", "png",
       "-disposition:v:0", "attached_pic", "-c:v:1", "libx264", "-preset", "ultrafast", "-pix_fmt:v:1", "yuv420p",
       *AAC, "-f", "matroska", str(path))  # fmt: skip
    png.unlink()


def _long_gop(path: Path) -> None:
    ff(*video_in(3), *audio_in(3), *H264, "-g", "1000", "-keyint_min", "1000", "-sc_threshold", "0", *AAC,
       str(path))  # fmt: skip


def _last_frame_b(path: Path) -> None:
    # A fixed I-B-B-P pattern, cut (without re-encoding) right after a B-frame in decoding order: the file's last
    # frame is a B-frame.
    tmp = path.with_suffix(".tmp.mp4")
    ff(*video_in(2), "-c:v", "libx264", "-preset", "ultrafast", "-x264-params", "bframes=2:b-adapt=0:b-pyramid=0",
       "-pix_fmt", "yuv420p", str(tmp))  # fmt: skip
    ff("-i", str(tmp), "-c", "copy", "-frames:v", "42", str(path))  # 42 in decoding order ends I/P,B,B -> a B
    tmp.unlink()


def _interlaced_ts(path: Path) -> None:
    ff(*video_in(2, w=720, h=576), *audio_in(2), "-vf", "setfield=tff", "-c:v", "mpeg2video", "-flags",
       "+ilme+ildct", "-b:v", "3M", "-c:a", "ac3", "-f", "mpegts", str(path))  # fmt: skip


# --- refused -----------------------------------------------------------------------------------------------------


def _oversize_8k(path: Path) -> None:
    # One real 8192x4320 frame: over the default 7680x4320 limit.
    ff("-f", "lavfi", "-i", "color=c=gray:size=8192x4320:rate=25", "-frames:v", "1", *H264, str(path))


def _oversize_setting(path: Path) -> None:
    ff(*video_in(1, w=640, h=360), *H264, str(path))


def _cut(path: Path, keep: float, *options: str, seconds: float = 3) -> None:
    """A whole clip written with `options`, then only its first `keep` of bytes kept (a copy that stopped)."""
    whole = path.with_suffix(".whole" + path.suffix)
    ff(*video_in(seconds), *audio_in(seconds), *H264, *AAC, *options, str(whole))
    data = whole.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    whole.unlink()


def _truncated_mp4(path: Path) -> None:
    _cut(path, 0.5, "-movflags", "+faststart")  # the index first: it promises what the data no longer holds


def _truncated_mkv(path: Path) -> None:
    _cut(path, 0.6)


def _no_index_mp4(path: Path) -> None:
    # A camera or export stopped before it finished: MP4 writes its index (moov) last, so it is missing.
    _cut(path, 0.8, seconds=2)


def _no_video(path: Path) -> None:
    ff(*audio_in(2), *AAC, str(path))


def _cover_art_only(path: Path) -> None:
    # A song with its album cover: the only "video" is one still image.
    png = path.with_suffix(".png")
    ff("-f", "lavfi", "-i", "color=c=blue:size=200x200", "-frames:v", "1", str(png))
    ff(*audio_in(2), "-i", str(png), "-map", "0", "-map", "1", "-c:a", "libmp3lame", "-c:v", "png",
       "-disposition:v", "attached_pic", str(path))  # fmt: skip
    png.unlink()


def _still_image(path: Path) -> None:
    ff("-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1", "-f", "image2", "-c:v", "png", str(path))


def _garbage(path: Path) -> None:
    import random

    path.write_bytes(random.Random(23).randbytes(64 * 1024))


def _zero_length(path: Path) -> None:
    path.write_bytes(b"")


def _damaged_picture(path: Path) -> None:
    # The index is whole but every byte of picture data is noise (a disk or transfer fault).
    import random

    ff(*video_in(2), *H264, "-movflags", "+faststart", str(path))
    data = bytearray(path.read_bytes())
    start = data.find(b"mdat") + 4
    noise = random.Random(23).randbytes(len(data) - start)
    data[start:] = noise
    path.write_bytes(bytes(data))


MSG = {
    "too_large_8k": "The picture is too large: 8192×4320 is over the 7680×4320 limit. Export it at 7680×4320 (8K UHD) "
    "or smaller and upload it again.",
    "too_large_small": "The picture is too large: 640×360 is over the 320×240 limit. Export it at 320×240 or smaller "
    "and upload it again.",
    "truncated": "The file is cut short: its last part is missing, as when an upload or a copy stops early. Copy or "
    "export the file again from the original and upload it again.",
    "no_index": "The file is incomplete: it has no index (in an MP4 or MOV the index is written last, so the "
    "recording or export stopped before it finished). Export it again, or copy the complete file from the camera "
    "card, and upload it again.",
    "no_video": "The file has no video: it holds only sound. Upload the film itself (a video file with picture).",
    "cover_art_only": "The file has no video: its only picture is a cover image attached to the sound. Upload the "
    "film itself (a video file with moving picture).",
    "still_image": "This is a still image, not a film. Upload a video file.",
    "not_media": "This is not a video file we can read: its content is not a known audio or video format. Check "
    "that you chose the right file, and export it as MP4, MOV, MKV or MXF.",
    "empty": "The file is empty (zero bytes): the upload or the export did not write anything. Choose the file "
    "again and upload it.",
    "undecodable": "No picture could be decoded: the video data is damaged or encoded in a way we cannot read. "
    "Export the film again (H.264, ProRes or DNxHR work everywhere) and upload it again.",
}

KINDS: list[Kind] = [
    Kind("plain_mp4", "H.264/AAC MP4, the common case", _plain_mp4, ".mp4",
         probe={"duration": 2.0, "audio_offset": 0.0}),
    Kind("phone_rotation_vfr", "phone video: stored sideways with a rotation, variable frame rate",
         _phone_rotation_vfr, ".mp4", probe={"rotation": 90, "width": 180, "height": 320,
                                            "variable_frame_rate": True}),
    Kind("mpegts_camera", "camera MPEG-TS (H.264 + MP2)", _mpegts_camera, ".ts", probe={"container": "mpegts"}),
    Kind("mpegts_late_start", "broadcast MPEG-TS whose timestamps start ten minutes in", _mpegts_late_start, ".ts",
         probe={"container": "mpegts", "video_start": 601.4, "duration": 2.0}),
    Kind("mxf_camera", "camera MXF (MPEG-2 4:2:2 + PCM)", _mxf_camera, ".mxf",
         probe={"container": "mxf", "video_codec": "mpeg2video"}),
    Kind("prores_mov", "editor's ProRes 422 MOV", _prores, ".mov", probe={"video_codec": "prores", "bit_depth": 10}),
    Kind("dnxhr_mov", "editor's DNxHR LB MOV", _dnxhr, ".mov", probe={"video_codec": "dnxhd"}),
    Kind("mov_edit_list", "MOV trimmed without re-encoding (edit list)", _mov_edit_list, ".mov",
         probe={"video_start": 0.0, "duration": 2.28}),
    Kind("mov_timecode", "MOV with a timecode track", _mov_timecode, ".mov", probe={"duration": 2.0, "video_index": 0}),
    Kind("screen_1fps", "screen recording at one frame a second", _screen_1fps, ".mp4",
         probe={"frame_rate": 1.0, "duration": 3.0}),
    Kind("hdr10_hevc", "HDR10 10-bit HEVC (BT.2020, PQ) with mastering metadata", _hdr10_hevc, ".mp4",
         probe={"video_codec": "hevc", "bit_depth": 10, "hdr": "pq", "color_primaries": "bt2020"}),
    Kind("mkv_languages_subtitles", "MKV with two audio languages and two subtitle streams",
         _mkv_languages_subtitles, ".mkv", probe={"subtitles": ["eng", "tpi"], "audio_index": 1, "audio": [
             {"codec": "aac", "channels": 1, "sample_rate": 48000, "language": "eng"},
             {"codec": "aac", "channels": 1, "sample_rate": 48000, "language": "tpi"}]}),
    Kind("webm_vp9_opus_audio_longer", "WebM VP9 + Opus, sound one second longer than the picture",
         _webm_audio_longer, ".webm", probe={"video_codec": "vp9", "duration": 2.0, "audio_end": 3.0}),
    Kind("avi_mjpeg", "AVI Motion-JPEG + PCM", _avi_mjpeg, ".avi", probe={"video_codec": "mjpeg"}),
    Kind("audio_longer", "MP4 with sound longer than the picture", _audio_longer, ".mp4",
         probe={"duration": 2.0, "audio_end": 3.0}),
    Kind("audio_shorter", "MP4 with sound shorter than the picture", _audio_shorter, ".mp4",
         probe={"duration": 3.0, "audio_end": 1.5}),
    Kind("audio_starts_late", "MP4 whose sound starts half a second after the picture", _audio_starts_late, ".mp4",
         probe={"audio_offset": 0.48, "duration": 2.0}),
    Kind("negative_timestamps", "MP4 whose timestamps start below zero", _negative_timestamps, ".mp4",
         probe={"duration": 1.5}),
    Kind("cover_art_first", "MKV with a cover image as its first video stream", _cover_art_first, ".mkv",
         probe={"width": 320, "height": 180, "video_codec": "h264", "video_index": 1}),
    Kind("long_gop", "H.264 with one keyframe for the whole clip", _long_gop, ".mp4", probe={"duration": 3.0}),
    Kind("last_frame_b", "H.264 whose last frame is a B-frame", _last_frame_b, ".mp4", probe={"duration": 1.72}),
    Kind("interlaced_ts", "interlaced MPEG-2 in MPEG-TS with AC-3", _interlaced_ts, ".ts", probe={"interlaced": True}),
    Kind("oversize_8k", "8192×4320 (over the 7680×4320 limit)", _oversize_8k, ".mp4", reason="too_large",
         message=MSG["too_large_8k"]),
    Kind("oversize_setting", "640×360 against a 320×240 limit", _oversize_setting, ".mp4", reason="too_large",
         message=MSG["too_large_small"], settings={"TRANSCODING_MAX_WIDTH": 320, "TRANSCODING_MAX_HEIGHT": 240}),
    Kind("truncated_mp4", "MP4 cut in half (index first)", _truncated_mp4, ".mp4", reason="truncated",
         message=MSG["truncated"]),
    Kind("truncated_mkv", "MKV cut at 60 %", _truncated_mkv, ".mkv", reason="truncated", message=MSG["truncated"]),
    Kind("no_index_mp4", "MP4 whose recording stopped before the index was written", _no_index_mp4, ".mp4",
         reason="no_index", message=MSG["no_index"]),
    Kind("no_video", "sound only (AAC in MP4)", _no_video, ".m4a", reason="no_video", message=MSG["no_video"]),
    Kind("cover_art_only", "an MP3 with its cover image", _cover_art_only, ".mp3", reason="cover_art_only",
         message=MSG["cover_art_only"]),
    Kind("still_image", "a PNG picture", _still_image, ".png", reason="still_image", message=MSG["still_image"]),
    Kind("garbage", "random bytes named .mp4", _garbage, ".mp4", reason="not_media", message=MSG["not_media"]),
    Kind("zero_length", "an empty file", _zero_length, ".mov", reason="empty", message=MSG["empty"]),
    Kind("damaged_picture", "MP4 whose picture data is noise", _damaged_picture, ".mp4", reason="undecodable",
         message=MSG["undecodable"]),
]  # fmt: skip
BY_NAME = {kind.name: kind for kind in KINDS}


def make(kind: Kind, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind.name}{kind.suffix}"
    if not path.exists():
        kind.build(path)
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    for kind in KINDS:
        print(make(kind, out), "->", kind.reason or "accepted")
