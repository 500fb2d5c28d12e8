"""Master uploads: a resumable chunked upload to local disk, or an S3 multipart upload with presigned part URLs
(so a 20 GB master never passes through the web server). Memory stays flat either way. Part of the service layer."""

import hashlib
from pathlib import Path

from botocore.exceptions import ClientError
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from transcoding import services
from transcoding.errors import JobPermissionDenied, MediaRejected, UploadInvalid
from transcoding.models import Job, JobState, Upload, UploadPart
from transcoding.probe import probe
from transcoding.storage import s3_client

COPY_CHUNK = 1024 * 1024
S3_MAX_PARTS = 10_000


def local_path(upload: Upload) -> Path:
    return Path(settings.TRANSCODING_UPLOAD_ROOT) / f"{upload.pk}.master"


def upload_start(*, film, by, filename: str, size: int, sha256: str = "", kind: str = "feature") -> Upload:
    services.require_manager(film=film, user=by)
    part_size = max(settings.TRANSCODING_UPLOAD_PART_BYTES, -(-size // S3_MAX_PARTS))
    backend = Upload.Backend.S3 if settings.AWS_STORAGE_BUCKET_NAME else Upload.Backend.LOCAL
    upload = Upload.objects.create(
        film_id=film.pk,
        kind=kind,
        owner=by,
        filename=Path(filename).name[:255],
        size=size,
        sha256=sha256.lower(),
        part_size=part_size,
        backend=backend,
    )
    if backend == Upload.Backend.S3:
        key = f"protected/uploads/{upload.pk}/{upload.filename}"
        answer = s3_client().create_multipart_upload(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=key)
        Upload.objects.filter(pk=upload.pk).update(s3_key=key, s3_upload_id=answer["UploadId"])
        upload.refresh_from_db()
    else:
        path = local_path(upload)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    return upload


def upload_target(*, upload: Upload, part_url: str) -> dict:
    """Where the client sends each part. `part_url` has `{number}` in it (our chunked endpoint)."""
    if upload.backend == Upload.Backend.S3:
        client = s3_client()
        urls = [
            {
                "number": number,
                "url": client.generate_presigned_url(
                    "upload_part",
                    Params={
                        "Bucket": settings.AWS_STORAGE_BUCKET_NAME,
                        "Key": upload.s3_key,
                        "UploadId": upload.s3_upload_id,
                        "PartNumber": number,
                    },
                    ExpiresIn=settings.AWS_QUERYSTRING_EXPIRE,
                    HttpMethod="PUT",
                ),
            }
            for number in range(1, upload.part_count + 1)
        ]
        return {"type": "s3_multipart", "part_size": upload.part_size, "parts": urls}
    return {
        "type": "chunked",
        "method": "PUT",
        "part_size": upload.part_size,
        "part_count": upload.part_count,
        "part_url": part_url,
    }


def _expected_part_size(upload: Upload, number: int) -> int:
    if number < upload.part_count:
        return upload.part_size
    return upload.size - upload.part_size * (upload.part_count - 1)


def _part_range(upload: Upload):
    return format_lazy(_("Part numbers run from 1 to {count}."), count=upload.part_count)


def _require_owner(*, upload: Upload, by) -> None:
    """Only the upload's owner writes into it, parts and completion alike: staff can see an upload (selectors.
    upload_for) and manage the jobs made from it, not put bytes into a creator's film or declare its master final."""
    if upload.owner_id != by.pk:
        raise JobPermissionDenied()


def upload_part_write(*, upload: Upload, by, number: int, stream, length: int, sha256: str = "") -> UploadPart:
    """Write one part at its offset, streaming (1 MiB at a time). A part sent again replaces itself. Only the
    upload's owner writes into it. With `sha256` (the part's hex digest, as the client computed it) a part whose
    bytes differ is refused and not recorded as arrived, so the client sends it again."""
    _require_owner(upload=upload, by=by)
    if upload.backend != Upload.Backend.LOCAL or upload.completed_at:
        raise UploadInvalid(_("This upload takes no more parts."))
    if not 1 <= number <= upload.part_count:
        raise UploadInvalid(_part_range(upload), fields={"number": ["Out of range."]})
    expected = _expected_part_size(upload, number)
    if length != expected:
        raise UploadInvalid(
            format_lazy(_("Part {number} must be {expected} bytes; {length} were sent."), number=number,
                        expected=expected, length=length),
            fields={"body": ["Wrong size."]},
        )
    sha256 = sha256.strip().lower()
    if sha256 and (len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256)):
        raise UploadInvalid(_("The part's SHA-256 is 64 hex digits."), fields={"sha256": ["Not a SHA-256."]})
    written, digest = 0, hashlib.sha256()
    with open(local_path(upload), "r+b") as target:
        target.seek((number - 1) * upload.part_size)
        while written < length:
            chunk = stream.read(min(COPY_CHUNK, length - written))
            if not chunk:
                break
            target.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    if written != expected:
        raise UploadInvalid(format_lazy(_("Part {number} ended after {written} of {expected} bytes: send it again."),
                                        number=number, written=written, expected=expected))
    if sha256 and digest.hexdigest() != sha256:
        UploadPart.objects.filter(upload=upload, number=number).delete()  # what is on disk there is not that part
        raise UploadInvalid(
            format_lazy(_("Part {number} arrived damaged (its SHA-256 differs): send it again."), number=number),
            fields={"sha256": ["Mismatch."]},
        )
    part, _created = UploadPart.objects.update_or_create(upload=upload, number=number, defaults={"size": written})
    return part


def _s3_parts(upload: Upload) -> list[dict]:
    """The parts the bucket holds for this multipart upload (ListParts, a thousand at a time)."""
    client, parts, marker = s3_client(), [], 0
    while True:
        answer = client.list_parts(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=upload.s3_key,
                                   UploadId=upload.s3_upload_id, PartNumberMarker=marker)
        parts += [{"number": p["PartNumber"], "etag": p["ETag"], "size": p["Size"]} for p in answer.get("Parts", [])]
        if not answer.get("IsTruncated"):
            return parts
        marker = answer["NextPartNumberMarker"]


def upload_part_url(*, upload: Upload, by, number: int) -> str:
    """A fresh presigned URL for one part of an S3 upload (what a client resuming after a reload asks for: the URLs
    given at the start may have expired). Only the upload's owner gets one."""
    if upload.owner_id != by.pk:
        raise JobPermissionDenied()
    if upload.backend != Upload.Backend.S3 or upload.completed_at:
        raise UploadInvalid(_("This upload takes no more parts."))
    if not 1 <= number <= upload.part_count:
        raise UploadInvalid(_part_range(upload), fields={"number": ["Out of range."]})
    return s3_client().generate_presigned_url(
        "upload_part",
        Params={"Bucket": settings.AWS_STORAGE_BUCKET_NAME, "Key": upload.s3_key, "UploadId": upload.s3_upload_id,
                "PartNumber": number},
        ExpiresIn=settings.AWS_QUERYSTRING_EXPIRE,
        HttpMethod="PUT",
    )


def upload_status(*, upload: Upload) -> dict:
    """Which parts arrived: on local disk the parts written; on S3 the parts the bucket holds (with their ETags,
    which `complete` needs), so a client resumes either from what the server has."""
    etags = None
    if upload.backend == Upload.Backend.S3 and not upload.completed_at:
        held = _s3_parts(upload)
        sizes = {p["number"]: p["size"] for p in held}
        etags = {str(p["number"]): p["etag"] for p in held}
        done = sorted(sizes)
        received = sum(sizes.values())
    else:
        done = sorted(upload.parts.values_list("number", flat=True))
        received = sum(upload.parts.values_list("size", flat=True))
    missing = [n for n in range(1, upload.part_count + 1) if n not in set(done)]
    status = {
        "id": str(upload.pk),
        "backend": upload.backend,
        "size": upload.size,
        "part_size": upload.part_size,
        "part_count": upload.part_count,
        "parts_done": done,
        "next_part": missing[0] if missing else None,
        "bytes_received": received,
        "completed": upload.completed_at is not None,
    }
    if etags is not None:
        status["etags"] = etags
    return status


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(COPY_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_for(upload: Upload) -> str:
    """The master as the worker finds it: a path on local disk, or s3://bucket/key (fetched by the worker)."""
    if upload.backend == Upload.Backend.S3:
        return f"s3://{settings.AWS_STORAGE_BUCKET_NAME}/{upload.s3_key}"
    return str(local_path(upload))


def _s3_finish(upload: Upload, parts: list[dict]) -> None:
    """Complete the multipart upload and check its size. The master stays in the bucket: the web server never
    holds it; the worker fetches it (and checks the declared SHA-256 as it reads)."""
    client = s3_client()
    numbers = sorted(p["number"] for p in parts)
    if numbers != list(range(1, upload.part_count + 1)):
        raise UploadInvalid(format_lazy(_("Expected parts 1 to {count}."), count=upload.part_count),
                            fields={"parts": ["Incomplete."]})
    try:
        client.complete_multipart_upload(
            Bucket=settings.AWS_STORAGE_BUCKET_NAME,
            Key=upload.s3_key,
            UploadId=upload.s3_upload_id,
            MultipartUpload={
                "Parts": [
                    {"PartNumber": p["number"], "ETag": p["etag"]} for p in sorted(parts, key=lambda p: p["number"])
                ]
            },
        )
    except ClientError as error:  # InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload
        code = error.response.get("Error", {}).get("Code", "error")
        raise UploadInvalid(
            format_lazy(_("The storage refused the parts ({code}): upload the missing parts again, then complete."),
                        code=code),
            fields={"parts": [code]},
        ) from None
    head = client.head_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=upload.s3_key)
    if head["ContentLength"] != upload.size:
        raise UploadInvalid(
            format_lazy(_("The stored file has {stored} bytes, not the {declared} declared."),
                        stored=head["ContentLength"], declared=upload.size),
            fields={"size": ["Does not match the data."]},
        )


def _s3_probe_url(upload: Upload) -> str:
    """A short-lived GET URL: ffmpeg probes the master in the bucket with range requests (header and tail only)."""
    return s3_client().generate_presigned_url(
        "get_object", Params={"Bucket": settings.AWS_STORAGE_BUCKET_NAME, "Key": upload.s3_key}, ExpiresIn=600
    )


def upload_complete(*, upload: Upload, by, parts: list[dict] | None = None) -> Job:
    """Check the parts, record the master (size, checksum), probe it, and create the job. A master that cannot be
    transcoded gives a failed job with the reason, and MediaRejected for the API to answer with.

    Local uploads are hashed here. S3 masters are not read whole by the web server: the declared SHA-256 is recorded
    and the worker checks it while it fetches the master (a mismatch fails the job with the reason).

    Only the owner completes an upload (_require_owner): the S3 part list is in the uploader's client, and the
    master made final is the creator's to declare. Staff start a new job from a completed upload instead."""
    _require_owner(upload=upload, by=by)
    services.require_manager(film=upload.film, user=by)
    source = source_for(upload)
    if upload.completed_at:
        job = Job.objects.filter(source_path=source).order_by("-id").first()
        if job is not None:
            return job  # completing twice is answered with the same job
    if upload.backend == Upload.Backend.S3:
        _s3_finish(upload, parts or [])
        checksum, probe_target = upload.sha256, _s3_probe_url(upload)
    else:
        status = upload_status(upload=upload)
        if status["next_part"] is not None:
            raise UploadInvalid(format_lazy(_("Part {number} has not arrived yet."), number=status["next_part"]),
                                fields={"parts": ["Incomplete."]})
        path = local_path(upload)
        if path.stat().st_size != upload.size:
            raise UploadInvalid(_("The file on disk does not have the declared size."), fields={"size": ["Mismatch."]})
        checksum, probe_target = _sha256(path), str(path)
        if upload.sha256 and checksum != upload.sha256:
            raise UploadInvalid(_("The data does not match the declared SHA-256."), fields={"sha256": ["Mismatch."]})
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).update(completed_at=timezone.now())
        job = services.job_create(
            film=upload.film,
            by=by,
            source_path=source,
            kind=upload.kind,
            size=upload.size,
            sha256=checksum,
            enqueue=False,
        )
    try:
        info = probe(probe_target, size=upload.size)
    except MediaRejected as rejected:
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=rejected.recorded_message(), probe=rejected.extra, finished_at=timezone.now()
        )
        raise MediaRejected(
            rejected.message, fields=rejected.fields, extra={**rejected.extra, "job_id": job.pk}
        ) from None
    Job.objects.filter(pk=job.pk).update(probe=info.as_dict(), duration_seconds=info.duration)
    services.job_enqueue(job=job)
    job.refresh_from_db()
    return job
