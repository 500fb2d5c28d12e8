"""Key rotation and re-packaging, without re-encoding.

What rotation means here: a film's content keys (one per quality class) are replaced by a new generation, and its
served media is re-encrypted with them: the stored AES-128 HLS set is decrypted with the old keys back into the
clear CMAF fragments the encode made (AES-128 encrypts whole segments, so this is exact), and packaged again exactly
as a new transcode is (AES-128 HLS + CENC DASH by Shaka Packager, a key per class) under a new storage prefix. The
job then points at the new prefix and the old generation is retired: it is no longer served, but its keys and media
stay until TRANSCODING_KEY_RETIRED_GRACE_SECONDS have passed (longer than any media or DRM token lives, so a player
holding a playlist from before the switch finishes its segments), then `keys_retired_purge` deletes both.

It does not make past keys useless to someone who already extracted them: content they downloaded while entitled
stays decryptable with the keys they had. It bounds how long a leaked key opens the media we serve. The cost is a
read, an AES pass and a packager run over the film's bytes (seconds for a feature on one core), not an encode.

The same path re-packages media of the old one-key, one-folder layout (Job.layout 1) into the current one."""

import logging
import posixpath
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from transcoding import keys, packaging
from transcoding.encryption import aes128_cbc_decrypt
from transcoding.errors import PackagingUnavailable
from transcoding.manifests import Stream
from transcoding.models import ACTIVE_STATES, CURRENT_LAYOUT, FilmKey, Job, JobState, KeyClass
from transcoding.storage import stored_files

log = logging.getLogger(__name__)


def _served_job(film_id: int, kind: str) -> Job | None:
    return (
        Job.objects.filter(film_id=film_id, kind=kind, state=JobState.COMPLETED, encrypt=True)
        .order_by("-layout", "-finished_at", "-id")
        .prefetch_related("renditions")
        .first()
    )


def _read(name: str) -> bytes:
    with storages["protected"].open(name, "rb") as handle:
        return handle.read()


def _clear_rendition(job: Job, rendition, out: Path) -> Stream:
    """The rendition's clear CMAF (init, fragments, a flat media playlist) in `out`, as ffmpeg wrote it."""
    rid = rendition.representation_id
    playlist = f"{job.output_prefix}/{rendition.playlist}"
    folder = playlist.rpartition("/")[0]
    text = _read(playlist).decode()
    kid = text.split("wans-key://", 1)[1].split('"', 1)[0] if "wans-key://" in text else None
    key = keys.film_key_by_kid(film_id=job.film_id, kid_hex=kid) if kid else None
    if key is None:
        raise PackagingUnavailable(f"rendition {rid}: its key {kid} is not among the film's keys")
    sequence, lines = 0, []
    for line in text.splitlines():
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(line.split(":", 1)[1])
        if line.startswith("#EXT-X-KEY:"):
            continue
        if line.startswith("#EXT-X-MAP:"):
            uri = line.split('URI="', 1)[1].split('"', 1)[0]
            (out / f"init_{rid}.m4s").write_bytes(_read(posixpath.join(folder, uri)))
            line = f'#EXT-X-MAP:URI="init_{rid}.m4s"'
        elif line and not line.startswith("#"):
            name = line.rpartition("/")[2]
            clear = aes128_cbc_decrypt(_read(posixpath.join(folder, line)), key=key.key, sequence=sequence)
            if clear is None:
                raise PackagingUnavailable(f"rendition {rid}: {name} does not decrypt with key {kid}")
            (out / name).write_bytes(clear)
            line, sequence = name, sequence + 1
        lines.append(line)
    (out / f"media_{rid}.m3u8").write_text("\n".join(lines) + "\n")
    return Stream(
        representation_id=rid,
        kind=rendition.kind,
        codecs=rendition.codecs,
        width=rendition.width,
        height=rendition.height,
        frame_rate=rendition.frame_rate,
        declared_bandwidth=rendition.bitrate_kbps * 1000,
        playlist=f"media_{rid}.m3u8",
        peak_bandwidth=rendition.bandwidth,
        average_bandwidth=rendition.average_bandwidth,
        size_bytes=rendition.size_bytes,
        rung=rendition.rung,
    )


def job_repackage(*, job_id: int) -> Job:
    """Re-encrypt a completed encrypted job's media with a new generation of the film's keys (see the module
    docstring), switch the job to it, and retire the previous generation."""
    job = Job.objects.prefetch_related("renditions").get(pk=job_id, state=JobState.COMPLETED, encrypt=True)
    renditions = list(job.renditions.all())
    generation = (FilmKey.objects.filter(film_id=job.film_id).aggregate(g=Max("generation"))["g"] or 0) + 1
    work = Path(settings.TRANSCODING_WORK_ROOT) / f"repackage-{job.pk}-g{generation}"
    out = work / "out"
    shutil.rmtree(work, ignore_errors=True)
    out.mkdir(parents=True)
    try:
        streams = [_clear_rendition(job, rendition, out) for rendition in renditions]
        new_keys = keys.film_keys_make(film_id=job.film_id, generation=generation)
        packaging.package(
            out,
            encrypt=True,
            keys=new_keys,
            segment_seconds=settings.TRANSCODING_SEGMENT_SECONDS,
            streams=streams,
        )
        old_prefix = job.output_prefix
        base = old_prefix.split("-g", 1)[0] if "/job-" in old_prefix else old_prefix
        prefix = f"{base}-g{generation}"
        storage = storages["protected"]
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            name = f"{prefix}/{path.relative_to(out).as_posix()}"
            if storage.exists(name):
                storage.delete(name)
            with open(path, "rb") as handle:
                storage.save(name, File(handle))
        # posters, stills, sprites, the trickplay track: not encrypted, carried over as they are
        for name in stored_files(old_prefix):
            relative = name.removeprefix(f"{old_prefix}/")
            if relative.split("/", 1)[0] in ("hls", "dash") or storage.exists(f"{prefix}/{relative}"):
                continue
            with storage.open(name, "rb") as handle:
                storage.save(f"{prefix}/{relative}", File(handle))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    by_id = {s.representation_id: s for s in streams}
    with transaction.atomic():
        FilmKey.objects.filter(film_id=job.film_id, generation__lt=generation, media_prefix="").update(
            media_prefix=old_prefix
        )
        for rendition in renditions:
            stream = by_id[rendition.representation_id]
            rendition.key_id, rendition.playlist = stream.key_id, stream.playlist
            rendition.save(update_fields=["key_id", "playlist"])
        Job.objects.filter(pk=job.pk).update(output_prefix=prefix, layout=CURRENT_LAYOUT)
        keys.film_keys_media_set(film_id=job.film_id, kids={s.key_id for s in streams}, prefix=prefix)
    log.info("film %s job %s re-packaged with key generation %s under %s", job.film_id, job.pk, generation, prefix)
    job.refresh_from_db()
    return job


def film_keys_rotate(*, film_id: int) -> list[Job]:
    """Rotate one film: every served encrypted job (feature, trailer) re-packaged with a new key generation. A film
    with no encrypted media gets a new generation for its next packaging, and the old one retires at once."""
    jobs = [job for kind in ("feature", "trailer") if (job := _served_job(film_id, kind)) is not None]
    if not jobs:
        latest = FilmKey.objects.filter(film_id=film_id).aggregate(g=Max("generation"))["g"] or 0
        keys.film_keys_make(film_id=film_id, generation=latest + 1)
        FilmKey.objects.filter(film_id=film_id, generation__lte=latest, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        return []
    return [job_repackage(job_id=job.pk) for job in jobs]


def films_due_for_rotation(*, at=None) -> list[int]:
    """Films whose served encrypted media uses keys older than TRANSCODING_KEY_ROTATION_DAYS, or the old one-key
    layout. None when rotation is off (0 days) except the old-layout ones."""
    at = at or timezone.now()
    completed = Job.objects.filter(state=JobState.COMPLETED, encrypt=True)
    legacy = set(completed.filter(layout__lt=CURRENT_LAYOUT).values_list("film_id", flat=True)) - set(
        completed.filter(layout=CURRENT_LAYOUT).values_list("film_id", flat=True)
    )
    due = set()
    if settings.TRANSCODING_KEY_ROTATION_DAYS:
        cutoff = at - timedelta(days=settings.TRANSCODING_KEY_ROTATION_DAYS)
        current = (
            FilmKey.objects.filter(retired_at__isnull=True)
            .exclude(key_class=KeyClass.FILM)
            .values("film_id")
            .annotate(made=Min("created_at"))
        )
        due = {row["film_id"] for row in current if row["made"] < cutoff}
    served = set(Job.objects.filter(state=JobState.COMPLETED, encrypt=True).values_list("film_id", flat=True))
    # A film being transcoded packages with the current generation: rotating under it would retire its keys.
    busy = set(Job.objects.filter(state__in=ACTIVE_STATES).values_list("film_id", flat=True))
    return sorted((legacy | (due & served)) - busy)


def keys_retired_purge(*, at=None) -> int:
    """Delete retired keys (and the media they encrypted) once TRANSCODING_KEY_RETIRED_GRACE_SECONDS have passed:
    no live token can need them any more. Media still served by a job is never deleted."""
    at = at or timezone.now()
    cutoff = at - timedelta(seconds=settings.TRANSCODING_KEY_RETIRED_GRACE_SECONDS)
    retired = list(FilmKey.objects.filter(retired_at__lt=cutoff))
    served = set(Job.objects.filter(state=JobState.COMPLETED).values_list("output_prefix", flat=True))
    storage = storages["protected"]
    for prefix in {row.media_prefix for row in retired if row.media_prefix and row.media_prefix not in served}:
        for name in stored_files(prefix):
            storage.delete(name)
    FilmKey.objects.filter(pk__in=[row.pk for row in retired]).delete()
    return len(retired)


def keys_rotate_due(*, at=None) -> dict:
    """Beat task body: rotate every film due, each on its own (one failure does not stop the others), then purge."""
    rotated, failed = [], []
    for film_id in films_due_for_rotation(at=at):
        try:
            film_keys_rotate(film_id=film_id)
            rotated.append(film_id)
        except (PackagingUnavailable, OSError) as error:
            log.error("key rotation of film %s failed: %s", film_id, error)
            failed.append(film_id)
    return {"rotated": rotated, "failed": failed, "purged": keys_retired_purge(at=at)}
