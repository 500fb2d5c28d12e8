"""Keys and media must not drift apart silently (a restored backup, a folder overwritten with media encrypted under
other keys, a rotation half done): `media_check` verifies every film's stored media against its keys.

Per rendition of each film's served job: the stored HLS playlist names the key id packaging recorded, that key
exists and is not retired, the init segment is an MP4 (`ftyp`), and the first segment decrypts with that key (AES-128
CBC, IV = its media sequence) into a CMAF fragment (`styp`/`moof`); for DASH, the init segment's `tenc` box carries
the same key id and the first segment is a fragment (CENC keeps the box structure clear). Clear media: the init and
first segment parse. Jobs still in the old one-key layout are reported for re-packaging."""

from dataclasses import dataclass

from django.core.files.storage import storages

from transcoding import keys
from transcoding.encryption import aes128_cbc_decrypt
from transcoding.models import CURRENT_LAYOUT, Job, JobState

FRAGMENT_TYPES = (b"styp", b"moof")


@dataclass(frozen=True)
class Problem:
    film_id: int
    film_title: str
    job_id: int
    rendition: str  # "720p (rep 0)", "audio (rep 4)", or "" for the whole job
    message: str

    def __str__(self) -> str:
        where = f" rendition {self.rendition}" if self.rendition else ""
        return f'film {self.film_id} "{self.film_title}" job {self.job_id}{where}: {self.message}'


def _read(name: str) -> bytes | None:
    storage = storages["protected"]
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def tenc_kid(init: bytes) -> str | None:
    """The default key id of an init segment's `tenc` box (hex), if it has one."""
    at = init.find(b"tenc")
    if at < 4:
        return None
    kid = init[at + 12 : at + 28]  # type(4) version+flags(4) reserved/pattern(2) isProtected(1) IV size(1), KID(16)
    return kid.hex() if len(kid) == 16 else None


def _playlist_parts(text: str) -> tuple[int, str | None, str | None, str | None]:
    """(media sequence, key id of EXT-X-KEY, init URI, first segment URI) of an HLS media playlist."""
    sequence, kid, init, first = 0, None, None, None
    for line in text.splitlines():
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-KEY:") and "wans-key://" in line:
            kid = line.split("wans-key://", 1)[1].split('"', 1)[0]
        elif line.startswith("#EXT-X-MAP:"):
            init = line.split('URI="', 1)[1].split('"', 1)[0]
        elif line and not line.startswith("#") and first is None:
            first = line
    return sequence, kid, init, first


def _check_rendition(job: Job, rendition) -> list[str]:
    prefix, rid = job.output_prefix, rendition.representation_id
    text = _read(f"{prefix}/{rendition.playlist}")
    if text is None:
        return [f"its HLS playlist {rendition.playlist} is missing"]
    sequence, stored_kid, init_uri, first_uri = _playlist_parts(text.decode(errors="replace"))
    folder = rendition.playlist.rpartition("/")[0]
    base = f"{prefix}/{folder}/" if folder else f"{prefix}/"
    problems = []
    init = _read(base + init_uri) if init_uri else None
    if init is None or init[4:8] != b"ftyp":
        problems.append("the HLS init segment is missing or not an MP4")
    segment = _read(base + first_uri) if first_uri else None
    if segment is None:
        return [*problems, "the first HLS segment is missing"]
    key = None
    if job.encrypt:
        if stored_kid != rendition.key_id:
            problems.append(f"the stored playlist names key {stored_kid}, packaging recorded {rendition.key_id}")
        key = keys.film_key_by_kid(film_id=job.film_id, kid_hex=rendition.key_id)
        if key is None:
            return [*problems, f"its key {rendition.key_id} is not among the film's keys"]
        if key.retired_at is not None:
            problems.append(f"its key {rendition.key_id} is retired (re-package with the current keys)")
        clear = aes128_cbc_decrypt(segment, key=key.key, sequence=sequence)
        if clear is None or clear[4:8] not in FRAGMENT_TYPES:
            problems.append("the first HLS segment does not decrypt with its key into a CMAF fragment")
        dash_init = _read(f"{prefix}/dash/{rid}/init.m4s")
        dash_first = _read(f"{prefix}/dash/{rid}/seg_1.m4s")
        if dash_init is None or tenc_kid(dash_init) != rendition.key_id:
            found = tenc_kid(dash_init) if dash_init else None
            problems.append(f"the DASH init segment's key id is {found}, packaging recorded {rendition.key_id}")
        if dash_first is None or dash_first[4:8] not in FRAGMENT_TYPES:
            problems.append("the first DASH segment is missing or not a fragment")
    elif segment[4:8] not in FRAGMENT_TYPES:
        problems.append("the first segment is not a CMAF fragment")
    return problems


def media_check(*, film_id: int | None = None) -> tuple[int, list[Problem]]:
    """(renditions checked, problems) over the latest completed feature and trailer job of every film."""
    jobs = Job.objects.filter(state=JobState.COMPLETED).select_related("film").prefetch_related("renditions")
    if film_id is not None:
        jobs = jobs.filter(film_id=film_id)
    latest = {}
    for job in jobs.order_by("film_id", "kind", "-finished_at", "-id"):
        latest.setdefault((job.film_id, job.kind), job)
    checked, problems = 0, []
    for job in latest.values():
        title = job.film.title
        if job.layout != CURRENT_LAYOUT:
            fix = "run drm_repackage" if job.encrypt else "transcode it again"
            problems.append(Problem(job.film_id, title, job.pk, "", f"packaged in the old one-key layout: {fix}"))
            continue
        for rendition in job.renditions.all():
            checked += 1
            label = f"{rendition.rung}p" if rendition.rung else rendition.kind
            for message in _check_rendition(job, rendition):
                problems.append(
                    Problem(job.film_id, title, job.pk, f"{label} (rep {rendition.representation_id})", message)
                )
    return checked, problems
