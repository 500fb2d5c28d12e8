"""Benchmark: the one-pass ladder against one ffmpeg process per rung, and against the pure encode cost.

    .venv/bin/python bench/transcode.py [--seconds 60] [--fps 25] [--threads N] [--preset veryfast]

In one run, on one generated 1080p clip (test pattern + tone, at least 60 s):

1. pipeline      the real job (transcoding.services.job_run): probe, one ffmpeg process that decodes once and encodes
                 every rung to CMAF with the DASH MPD and HLS playlists, packaging (measured HLS master), thumbnails,
                 sprites and poster, copy to protected storage. Timed as a whole, and its encode stage on its own.
2. one-per-rung  the approach of MediaCMS and PeerTube: for each rung a separate ffmpeg process that decodes the
                 master again, scales and encodes that one rung (with its AAC audio) to CMAF. Identical encoder
                 settings: the command is the pipeline's own ladder_command() for a ladder of one rung.
3. pure encode   the pipeline's one-process ladder to the null muxer: decode + scale + encode, nothing written.

The realtime factor is seconds of film per wall-clock second (higher is faster). The ratios are wall-time ratios:
pipeline / one-per-rung below 1 means the pipeline is faster; pipeline / pure-encode above 1 is what writing,
packaging, thumbnails and upload cost on top of encoding.

Runs against a throw-away test database (the test settings) and a temporary protected storage.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wans.settings.test")


def _timed(function) -> tuple[float, object]:
    started = time.monotonic()
    result = function()
    return time.monotonic() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="clip length (at least 60 for the published figure)")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--threads", type=int, default=0, help="ffmpeg -threads (default: TRANSCODING_THREADS)")
    parser.add_argument("--preset", default="", help="x264 preset (default: TRANSCODING_PRESET)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from transcoding import ffmpeg, samples
    from transcoding.ladder import ladder_for
    from transcoding.probe import probe

    work = Path(tempfile.mkdtemp(prefix="wans-bench-"))
    threads = args.threads or settings.TRANSCODING_THREADS
    preset = args.preset or settings.TRANSCODING_PRESET
    overrides = override_settings(
        STORAGES={
            **settings.STORAGES,
            "protected": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(work / "protected")},
            },
        },
        TRANSCODING_WORK_ROOT=work / "jobs",
        TRANSCODING_THREADS=threads,
        TRANSCODING_PRESET=preset,
    )
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    overrides.enable()
    try:
        print(f"generating a {args.seconds} s 1920x1080 clip at {args.fps} fps ...", flush=True)
        source = samples.make_clip(
            work / "master.mp4", width=1920, height=1080, seconds=args.seconds, fps=args.fps, frequency=440
        )
        info = probe(str(source))
        rungs = ladder_for(width=info.width, height=info.height)
        common = {
            "source": str(source),
            "probe": info,
            "segment_seconds": settings.TRANSCODING_SEGMENT_SECONDS,
            "threads": threads,
            "preset": preset,
            "crf": settings.TRANSCODING_CRF,
            "audio_kbps": settings.TRANSCODING_AUDIO_KBPS,
        }
        print(
            f"{info.duration:.1f} s, rungs {', '.join(r.name for r in rungs)}; "
            f"x264 {preset}, crf {settings.TRANSCODING_CRF} capped, -threads {threads}, {os.cpu_count()} cores",
            flush=True,
        )

        # 1. The real pipeline.
        job = _job(source)
        from transcoding import services

        pipeline_seconds, job = _timed(lambda: services.job_run(job_id=job.pk, worker="bench"))
        if job.state != "completed":
            raise SystemExit(f"pipeline job {job.pk} {job.state}: {job.error}")
        encode_stage_seconds = info.duration / job.realtime_factor
        print(f"pipeline        {pipeline_seconds:7.1f} s  (encode stage {encode_stage_seconds:.1f} s)", flush=True)
        for rendition in job.renditions.order_by("kind", "-rung", "-bitrate_kbps"):
            size = f"{rendition.width}x{rendition.height}" if rendition.width else "audio"
            print(
                f"  {size:>10} cap {rendition.bitrate_kbps:>5}k  measured average "
                f"{rendition.average_bandwidth // 1000:>5}k, peak segment {rendition.bandwidth // 1000:>5}k",
                flush=True,
            )

        # 2. One ffmpeg process per rung, each decoding the master again.
        per_rung_seconds = 0.0
        for rung in rungs:
            out = work / f"rung-{rung.height}"
            out.mkdir()
            cmd = ffmpeg.ladder_command(out_dir=out, rungs=[rung], audio_only_kbps=None, **common)
            seconds, _ = _timed(lambda cmd=cmd, out=out: ffmpeg.run(cmd, log_path=out / "ffmpeg.log"))
            per_rung_seconds += seconds
            print(f"  {rung.name:>6} alone {seconds:7.1f} s", flush=True)
        print(f"one-per-rung    {per_rung_seconds:7.1f} s", flush=True)

        # 3. The same one-process ladder, encoded to the null muxer.
        cmd = ffmpeg.ladder_command(
            out_dir=None, rungs=rungs, audio_only_kbps=settings.TRANSCODING_AUDIO_ONLY_KBPS, **common
        )
        null_seconds, _ = _timed(lambda: ffmpeg.run(cmd, log_path=work / "null.log"))
        print(f"pure encode     {null_seconds:7.1f} s", flush=True)

        duration = info.duration
        print()
        print(f"{'':28}{'wall s':>8}{'realtime x':>12}")
        for name, seconds in [
            ("pipeline (whole job)", pipeline_seconds),
            ("pipeline (encode stage)", encode_stage_seconds),
            ("one process per rung", per_rung_seconds),
            ("pure encode (null muxer)", null_seconds),
        ]:
            print(f"{name:28}{seconds:8.1f}{duration / seconds:12.2f}")
        print()
        print(f"pipeline / one-per-rung      {pipeline_seconds / per_rung_seconds:.3f}  (whole job, with thumbnails)")
        print(f"encode stage / one-per-rung  {encode_stage_seconds / per_rung_seconds:.3f}  (like for like)")
        print(f"pipeline / pure-encode       {pipeline_seconds / null_seconds:.3f}  (whole job)")
        print(f"encode stage / pure-encode   {encode_stage_seconds / null_seconds:.3f}  (writing CMAF + manifests)")
    finally:
        overrides.disable()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(work, ignore_errors=True)


def _job(source: Path):
    """A creator, a film and a queued job for the clip, through the services (no broker: run synchronously)."""
    from django.contrib.auth import get_user_model

    from accounts import services as account_services
    from accounts.roles import Role
    from catalog import services as catalog_services
    from transcoding import services

    user = get_user_model().objects.create_user(email="bench@example.com", password=None)
    account_services.user_set_role(user=user, role=Role.CREATOR)
    film = catalog_services.film_create(creator=user, data={"title": "Benchmark"})
    return services.job_create(film=film, by=user, source_path=str(source), enqueue=False)


if __name__ == "__main__":
    main()
