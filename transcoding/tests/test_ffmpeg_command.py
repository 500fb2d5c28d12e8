"""The ladder's command line for known probes, to the letter: the filter graph ffmpeg-python builds (split, scale,
the timeline and HDR chains, the audio split) and the encoder, keyframe and muxer options the pipeline needs. A real
encode of each kind of source runs in test_pipeline.py and test_corpus.py."""

from pathlib import Path

from transcoding import ffmpeg
from transcoding.ladder import Rung
from transcoding.probe import Probe

RUNGS = [Rung(height=1080, width=1920, out_height=1080, bitrate_kbps=8000), Rung(height=240, width=426,
                                                                                 out_height=240, bitrate_kbps=500)]
ENCODERS = [
    "-c:v:0", "libx264", "-profile:v:0", "high", "-preset:v:0", "veryfast", "-crf:v:0", "23",
    "-maxrate:v:0", "8000k", "-bufsize:v:0", "16000k",
    "-c:v:1", "libx264", "-profile:v:1", "high", "-preset:v:1", "veryfast", "-crf:v:1", "23",
    "-maxrate:v:1", "500k", "-bufsize:v:1", "1000k",
]  # fmt: skip
CMAF = [
    "-f", "dash", "-seg_duration", "4", "-use_template", "1", "-use_timeline", "0",
    "-init_seg_name", "init_$RepresentationID$.m4s", "-media_seg_name", "seg_$RepresentationID$_$Number%05d$.m4s",
    "-adaptation_sets", "id=0,streams=v id=1,streams=a", "-hls_playlist", "1", "-hls_master_name", "ffmpeg_master.m3u8",
]  # fmt: skip
SCALED = (
    "[s1]scale=flags=bicubic:h=1080:w=1920[s3];"
    "[s3]setdar=16/9[s4];"
    "[s4]format=yuv420p[s5];"
    "[s2]scale=flags=bicubic:h=240:w=426[s6];"
    "[s6]setdar=16/9[s7];"
    "[s7]format=yuv420p[s8]"
)


def _probe(**changes) -> Probe:
    fields = {
        "container": "mov,mp4,m4a,3gp,3g2,mj2",
        "duration": 6.0,
        "size_bytes": 1_000_000,
        "video_codec": "h264",
        "width": 1920,
        "height": 1080,
        "coded_width": 1920,
        "coded_height": 1080,
        "display_aspect": 16 / 9,
        "rotation": 0,
        "frame_rate": 25.0,
        "variable_frame_rate": False,
        "pixel_format": "yuv420p",
        "bit_depth": 8,
        "interlaced": False,
        "video_index": 0,
        "audio_index": 1,
        "video_start": 0.0,
        "audio_start": 0.5,
    }
    return Probe(**{**fields, **changes})


def _command(probe: Probe, *, out_dir: Path | None = Path("/out"), audio_only_kbps: int | None = 64) -> list[str]:
    return ffmpeg.ladder_command(
        source="/masters/film.mp4",
        out_dir=out_dir,
        rungs=RUNGS,
        probe=probe,
        segment_seconds=4,
        threads=2,
        preset="veryfast",
        crf=23,
        audio_kbps=128,
        audio_only_kbps=audio_only_kbps,
    )


def test_base_args_start_every_run_and_send_progress_to_the_runner():
    assert ffmpeg.base_args() == ["-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1"]


def test_an_sdr_film_with_sound_gives_one_split_every_rung_and_two_audio_tracks_in_cmaf():
    graph = (
        "[0:0]setpts=PTS-STARTPTS[s0];"
        "[s0]split=2[s1][s2];"
        f"{SCALED};"
        "[0:1]asetpts=PTS-STARTPTS+(0.500/TB)[s9];"
        "[s9]aresample=async=1:first_pts=0[s10];"
        "[s10]apad=whole_dur=6.000[s11];"
        "[s11]atrim=end=6.000[s12];"
        "[s12]asplit=2[s13][s14]"
    )

    assert _command(_probe()) == [
        ffmpeg.ffmpeg_exe(), *ffmpeg.base_args(), "-i", "/masters/film.mp4", "-filter_complex", graph,
        "-map", "[s5]", "-map", "[s8]", "-map", "[s13]", "-map", "[s14]",
        *ENCODERS,
        "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*4)",
        "-c:a", "aac", "-ac", "2", "-ar", "48000", "-b:a:0", "128k", "-b:a:1", "64k",
        "-threads", "2",
        *CMAF, "/out/manifest.mpd",
    ]  # fmt: skip


def test_hdr_interlaced_variable_rate_film_is_deinterlaced_tone_mapped_once_and_made_constant_rate():
    probe = _probe(
        hdr="pq",
        color_primaries="bt2020",
        color_transfer="smpte2084",
        color_matrix="bt2020nc",
        interlaced=True,
        variable_frame_rate=True,
        frame_rate=29.7,
        audio_start=-0.25,
    )
    graph = (
        "[0:0]yadif=deint=interlaced[s0];"
        "[s0]setpts=PTS-STARTPTS[s1];"
        "[s1]setparams=color_primaries=bt2020:color_trc=smpte2084:colorspace=bt2020nc:range=tv[s2];"
        "[s2]zscale=npl=100:t=linear[s3];"
        "[s3]format=gbrpf32le[s4];"
        "[s4]zscale=p=bt709[s5];"
        "[s5]tonemap=desat=0:tonemap=mobius[s6];"
        "[s6]zscale=m=bt709:r=tv:t=bt709[s7];"
        "[s7]format=yuv420p[s8];"
        "[s8]setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv[s9];"
        "[s9]split=2[s10][s11];"
        "[s10]scale=flags=bicubic:h=1080:w=1920[s12];"
        "[s12]setdar=16/9[s13];"
        "[s13]format=yuv420p[s14];"
        "[s11]scale=flags=bicubic:h=240:w=426[s15];"
        "[s15]setdar=16/9[s16];"
        "[s16]format=yuv420p[s17];"
        "[0:1]asetpts=PTS-STARTPTS+(-0.250/TB)[s18];"
        "[s18]aresample=async=1:first_pts=0[s19];"
        "[s19]apad=whole_dur=6.000[s20];"
        "[s20]atrim=end=6.000[s21];"
        "[s21]asplit=1[s22]"
    )

    assert _command(probe, audio_only_kbps=None) == [
        ffmpeg.ffmpeg_exe(), *ffmpeg.base_args(), "-i", "/masters/film.mp4", "-filter_complex", graph,
        "-map", "[s14]", "-map", "[s17]", "-map", "[s22]",
        *ENCODERS,
        "-g", "120", "-keyint_min", "120", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*4)",
        "-fps_mode", "cfr", "-r", "30",
        "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
        "-c:a", "aac", "-ac", "2", "-ar", "48000", "-b:a:0", "128k",
        "-threads", "2",
        *CMAF, "/out/manifest.mpd",
    ]  # fmt: skip


def test_a_silent_film_to_the_null_muxer_maps_only_its_rungs():
    graph = f"[0:3]setpts=PTS-STARTPTS[s0];[s0]split=2[s1][s2];{SCALED}"

    assert _command(_probe(audio_index=None, video_index=3), out_dir=None) == [
        ffmpeg.ffmpeg_exe(), *ffmpeg.base_args(), "-i", "/masters/film.mp4", "-filter_complex", graph,
        "-map", "[s5]", "-map", "[s8]",
        *ENCODERS,
        "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*4)",
        "-threads", "2",
        "-f", "null", "-",
    ]  # fmt: skip


def test_a_scope_film_keeps_its_display_aspect_on_every_rung():
    probe = _probe(width=1920, height=800, coded_width=1920, coded_height=800, display_aspect=2.4, audio_index=None)
    rungs = [Rung(height=1080, width=1920, out_height=800, bitrate_kbps=8000)]

    cmd = ffmpeg.ladder_command(
        source="/m.mov", out_dir=None, rungs=rungs, probe=probe, segment_seconds=2, threads=1, preset="veryfast",
        crf=23, audio_kbps=128, audio_only_kbps=None,
    )  # fmt: skip

    assert cmd[cmd.index("-filter_complex") + 1] == (
        "[0:0]setpts=PTS-STARTPTS[s0];[s0]split=1[s1];[s1]scale=flags=bicubic:h=800:w=1920[s2];"
        "[s2]setdar=12/5[s3];[s3]format=yuv420p[s4]"
    )
    assert cmd[cmd.index("-g") + 1] == "50"
