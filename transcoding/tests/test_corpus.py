"""The ingest corpus (corpus.py): every kind of master gets the probe's expected outcome, and the few whose
timestamps need putting right are encoded with the real ladder command and checked on the output.

Part of the normal suite (marked `corpus` only so it can be run alone: `pytest -m corpus`)."""

import array
from pathlib import Path

import av
import pytest
from av.video.frame import PictureType
from PIL import ImageStat

from transcoding import ffmpeg
from transcoding.errors import MediaRejected
from transcoding.ladder import ladder_for
from transcoding.probe import probe
from transcoding.probe_checks import reason_text
from transcoding.tests import corpus

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def test_the_corpus_has_every_kind_the_issue_names():
    assert len(corpus.KINDS) >= 25
    assert len(corpus.BY_NAME) == len(corpus.KINDS)
    refused = {kind.name for kind in corpus.KINDS if kind.reason}
    assert refused == {
        "oversize_8k",
        "oversize_setting",
        "truncated_mp4",
        "truncated_mkv",
        "no_index_mp4",
        "no_video",
        "cover_art_only",
        "still_image",
        "garbage",
        "zero_length",
        "damaged_picture",
    }


@pytest.mark.parametrize("kind", corpus.KINDS, ids=lambda kind: kind.name)
def test_each_kind_gets_its_outcome(kind, corpus_dir, settings):
    for name, value in kind.settings.items():
        setattr(settings, name, value)
    path = corpus.make(kind, corpus_dir)

    if kind.reason:
        with pytest.raises(MediaRejected) as rejected:
            probe(str(path))
        assert (rejected.value.extra["reason"], rejected.value.message) == (kind.reason, kind.message)
        assert rejected.value.fields == {"file": [kind.message]}
        # What a job keeps (the code and its figures) makes the same words again, in whatever language is asked
        assert set(rejected.value.extra) <= {"reason", "values"}
        assert reason_text(kind.reason, **rejected.value.extra.get("values", {})) == kind.message
        return
    info = probe(str(path))
    for field, expected in kind.probe.items():
        value = getattr(info, field)
        assert value == (pytest.approx(expected, abs=0.05) if isinstance(expected, float) else expected), field
    assert info.duration > 0 and info.tail_checked


def test_the_tricky_masters_are_what_they_claim(corpus_dir):
    """The corpus itself: a late start really starts late, the last frame really is a B-frame, the audio really
    runs longer, the cover really comes first."""
    with av.open(str(corpus.make(corpus.BY_NAME["mpegts_late_start"], corpus_dir))) as late:
        assert late.start_time / av.time_base > 600
    with av.open(str(corpus.make(corpus.BY_NAME["last_frame_b"], corpus_dir))) as b_last:
        last_pts = [packet.pts for packet in b_last.demux(video=0) if packet.size][-1]  # decoding order
    with av.open(str(corpus.make(corpus.BY_NAME["last_frame_b"], corpus_dir))) as b_last:
        types = {frame.pts: PictureType(frame.pict_type) for frame in b_last.decode(video=0)}
    assert types[last_pts] == PictureType.B and last_pts < max(types)
    with av.open(str(corpus.make(corpus.BY_NAME["webm_vp9_opus_audio_longer"], corpus_dir))) as webm:
        assert webm.duration / av.time_base == pytest.approx(3.0, abs=0.02)
    with av.open(str(corpus.make(corpus.BY_NAME["cover_art_first"], corpus_dir))) as covered:
        assert (covered.streams.video[0].codec_context.name, covered.streams.video[0].width) == ("png", 200)


def _encode(source: Path, out: Path):
    """The real ladder command, lowest rung only (the timeline and colour work is before the split)."""
    info = probe(str(source))
    out.mkdir(parents=True)
    cmd = ffmpeg.ladder_command(
        source=str(source),
        out_dir=out,
        rungs=ladder_for(width=info.width, height=info.height)[-1:],
        probe=info,
        segment_seconds=2,
        threads=2,
        preset="ultrafast",
        crf=23,
        audio_kbps=96,
        audio_only_kbps=None,
    )
    ffmpeg.run(cmd, log_path=out / "ffmpeg.log")
    return info


def _joined(out: Path, representation: int) -> Path:
    """A representation's init and media segments as one fragmented MP4 (what a player appends)."""
    whole = out / f"whole_{representation}.mp4"
    with open(whole, "wb") as handle:
        handle.write((out / f"init_{representation}.m4s").read_bytes())
        for segment in sorted(out.glob(f"seg_{representation}_*.m4s")):
            handle.write(segment.read_bytes())
    return whole


def _span(path: Path) -> tuple[float, float]:
    """First timestamp and end (last pts + duration) of the file's only stream, in seconds."""
    with av.open(str(path)) as container:
        packets = [p for p in container.demux() if p.pts is not None]
    first = min(float(p.pts * p.time_base) for p in packets)
    end = max(float((p.pts + (p.duration or 0)) * p.time_base) for p in packets)
    return first, end


def _loudness(path: Path, start: float, end: float) -> float:
    """The peak sample level between two output times (0 = silence, 1 = full scale)."""
    peak = 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            if frame.time is None or not (start <= frame.time < end):
                continue
            samples = array.array("f", bytes(frame.planes[0]))[: frame.samples]  # AAC decodes to float planar
            peak = max(peak, max((abs(s) for s in samples), default=0.0))
    return peak


NORMALISED = [
    "mpegts_late_start",
    "audio_starts_late",
    "negative_timestamps",
    "mov_edit_list",
    "webm_vp9_opus_audio_longer",
    "audio_longer",
    "audio_shorter",
    "screen_1fps",
    "cover_art_first",
]


@pytest.mark.parametrize("name", NORMALISED)
def test_the_output_starts_at_zero_in_sync_and_lasts_as_long_as_the_picture(name, corpus_dir, tmp_path):
    info = _encode(corpus.make(corpus.BY_NAME[name], corpus_dir), tmp_path / "out")

    video_start, video_end = _span(_joined(tmp_path / "out", 0))
    assert video_start == pytest.approx(0.0, abs=0.04)
    assert video_end == pytest.approx(info.duration, abs=0.05)  # the film lasts as long as its picture
    rung = ladder_for(width=info.width, height=info.height)[-1]
    with av.open(str(_joined(tmp_path / "out", 0))) as picture:
        assert (picture.streams.video[0].width, picture.streams.video[0].height) == (rung.width, rung.out_height)
    if info.audio_index is None:
        assert not (tmp_path / "out" / "init_1.m4s").exists()
        return
    audio_start, audio_end = _span(_joined(tmp_path / "out", 1))
    assert audio_start == pytest.approx(0.0, abs=0.04)  # AAC's priming (21 ms) is all that precedes zero
    assert audio_end == pytest.approx(video_end, abs=0.05)  # padded with silence, or cut at the last frame


def test_sound_that_starts_late_stays_late_in_the_output(corpus_dir, tmp_path):
    """In sync, not merely starting at zero: the half second before the sound is silence in the output too."""
    _encode(corpus.make(corpus.BY_NAME["audio_starts_late"], corpus_dir), tmp_path / "out")
    sound = _joined(tmp_path / "out", 1)

    assert _loudness(sound, 0.0, 0.4) < 0.005
    assert _loudness(sound, 0.6, 1.8) > 0.05  # the tone is at lavfi sine's 1/8 of full scale


def _luma(path: Path) -> tuple[float, float]:
    with av.open(str(path)) as container:
        frame = [f for _, f in zip(range(10), container.decode(video=0), strict=False)][-1]
        stat = ImageStat.Stat(frame.to_image().convert("L"))
    return stat.mean[0], stat.stddev[0]


def test_hdr_is_tone_mapped_to_sdr_bt709_with_the_levels_of_the_sdr_picture(corpus_dir, tmp_path):
    """The HDR10 master is the plain pattern converted to PQ/BT.2020 (white at 203 nits): tone-mapped back, its
    output must be tagged BT.709 and look like the SDR pattern (not grey and washed out, not dark)."""
    hdr = corpus.make(corpus.BY_NAME["hdr10_hevc"], corpus_dir)
    info = _encode(hdr, tmp_path / "hdr")
    assert (info.hdr, info.color_primaries, info.color_transfer) == ("pq", "bt2020", "smpte2084")

    output = _joined(tmp_path / "hdr", 0)
    with av.open(str(output)) as container:
        codec = container.streams.video[0].codec_context
        tags = (codec.color_primaries, codec.color_trc, codec.colorspace, codec.pix_fmt)
    assert tags == (1, 1, 1, "yuv420p")  # BT.709 primaries, transfer and matrix (ISO/IEC 23091-2 code 1)
    mean, spread = _luma(output)
    sdr_mean, sdr_spread = _luma(corpus.make(corpus.BY_NAME["plain_mp4"], corpus_dir))
    assert abs(mean - sdr_mean) < 15  # measured: 122 against the SDR pattern's 122 (untouched PQ shows ~91)
    assert spread > 0.7 * sdr_spread


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["mpegts_late_start", "cover_art_first"])
def test_the_whole_pipeline_completes_for_a_late_start_and_a_cover_stored_first(name, corpus_dir, film, creator):
    """End to end (`manage.py transcode` runs this): the broadcast MPEG-TS that once failed with a bare
    "Conversion failed!", and a cover picture before the film, which the thumbnails must not take for the film."""
    from django.core.files.storage import storages
    from PIL import Image

    from transcoding import services
    from transcoding.models import JobState

    source = corpus.make(corpus.BY_NAME[name], corpus_dir)
    job = services.job_create(film=film, by=creator, source_path=str(source), enqueue=False)
    job = services.job_run(job_id=job.pk)

    assert (job.state, job.error) == (JobState.COMPLETED, "")
    assert job.duration_seconds == pytest.approx(2.0, abs=0.05)
    with Image.open(storages["protected"].path(f"{job.output_prefix}/poster.jpg")) as poster:
        assert ImageStat.Stat(poster.convert("L")).stddev[0] > 20  # the film's pattern, not the plain red cover
