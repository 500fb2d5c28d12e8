import pytest

from transcoding.errors import MediaRejected
from transcoding.ladder import ladder_for
from transcoding.probe import probe


def sizes(width, height):
    return [(r.name, r.width, r.out_height, r.bitrate_kbps) for r in ladder_for(width=width, height=height)]


def test_ladder_for_1080p():
    assert sizes(1920, 1080) == [
        ("1080p", 1920, 1080, 8000),
        ("720p", 1280, 720, 5000),
        ("480p", 854, 480, 2500),
        ("360p", 640, 360, 1000),
        ("240p", 426, 240, 500),
    ]


def test_ladder_for_720p_stops_at_the_source():
    assert [name for name, *_ in sizes(1280, 720)] == ["720p", "480p", "360p", "240p"]


def test_ladder_for_portrait_phone_video():
    assert sizes(1080, 1920) == [
        ("1080p", 1080, 1920, 8000),
        ("720p", 720, 1280, 5000),
        ("480p", 480, 854, 2500),
        ("360p", 360, 640, 1000),
        ("240p", 240, 426, 500),
    ]


def test_ladder_for_4_by_3_and_21_by_9():
    assert sizes(640, 480) == [("480p", 640, 480, 2500), ("360p", 480, 360, 1000), ("240p", 320, 240, 500)]
    # Wider than 16:9: the rung is named by its 16:9 box, so a scope film keeps its full width at the top rung.
    assert sizes(1920, 800) == [
        ("1080p", 1920, 800, 8000),
        ("720p", 1280, 534, 5000),
        ("480p", 854, 356, 2500),
        ("360p", 640, 266, 1000),
        ("240p", 426, 178, 500),
    ]
    assert sizes(2560, 1080)[:2] == [("1440p", 2560, 1080, 16000), ("1080p", 1920, 810, 8000)]
    assert sizes(1440, 1080)[:2] == [("1080p", 1440, 1080, 8000), ("720p", 960, 720, 5000)]  # 4:3 HD


def test_ladder_for_2160p_and_a_tiny_source():
    assert [name for name, *_ in sizes(3840, 2160)] == ["2160p", "1440p", "1080p", "720p", "480p", "360p", "240p"]
    assert sizes(320, 180) == [("240p", 320, 180, 500)]  # the lowest rung always, never upscaled


def test_probe_reads_a_clip(clips):
    info = probe(clips("p720", width=1280, height=720, seconds=3))

    assert (info.width, info.height, info.rotation, info.video_codec) == (1280, 720, 0, "h264")
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert info.frame_rate == 25.0 and info.variable_frame_rate is False
    assert (info.pixel_format, info.bit_depth, info.interlaced) == ("yuv420p", 8, False)
    assert info.audio == [{"codec": "aac", "channels": 1, "sample_rate": 48000, "language": "und"}]
    assert info.display_aspect == pytest.approx(16 / 9, abs=0.001)


def test_probe_applies_rotation(clips):
    info = probe(clips("portrait", width=1280, height=720, seconds=2, rotation=90))

    assert (info.width, info.height, info.rotation) == (720, 1280, 90)


def test_a_missing_master_is_refused_with_the_reason(tmp_path):
    with pytest.raises(MediaRejected) as rejected:
        probe(str(tmp_path / "missing.mp4"))

    assert (rejected.value.extra, rejected.value.message) == (
        {"reason": "missing"},
        "The master file is missing from the upload area. Upload it again.",
    )


# Every other refusal, and the awkward masters that must be accepted: test_corpus.py.
