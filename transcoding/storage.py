"""Where masters and outputs are kept: the S3 client (uploads, and a worker fetching an s3:// master), and the
files under a prefix of protected storage. A leaf: it imports nothing of transcoding, so uploads, the pipeline and
rotation all use it without importing each other."""

import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
from django.conf import settings
from django.core.files.storage import storages

CHUNK = 1024 * 1024


def s3_client():
    return boto3.client(
        "s3",
        endpoint_url=settings.AWS_S3_ENDPOINT_URL,
        region_name=settings.AWS_S3_REGION_NAME,
        aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
        aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
    )


def s3_object(*, url: str) -> tuple[Iterator[bytes], int]:
    """The object at s3://bucket/key as chunks of a megabyte, and its length in bytes (1 when not told)."""
    bucket, key = url.removeprefix("s3://").split("/", 1)
    answer = s3_client().get_object(Bucket=bucket, Key=key)
    return answer["Body"].iter_chunks(CHUNK), int(answer.get("ContentLength") or 1)


def file_write_hashed(*, chunks: Iterator[bytes], target: Path, on_progress: Callable[[int], None]) -> str:
    """Write the chunks to `target`, hashing them as they come; on_progress(bytes written) at most every
    TRANSCODING_HEARTBEAT_SECONDS. Returns the SHA-256 (hex)."""
    digest, done, last = hashlib.sha256(), 0, time.monotonic()
    with open(target, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
            digest.update(chunk)
            done += len(chunk)
            if time.monotonic() - last >= settings.TRANSCODING_HEARTBEAT_SECONDS:
                last = time.monotonic()
                on_progress(done)
    return digest.hexdigest()


def stored_files(prefix: str) -> list[str]:
    """Every file under a prefix of protected storage (local folders or a bucket)."""
    storage, stack, names = storages["protected"], [prefix], []
    while stack:
        folder = stack.pop()
        try:
            dirs, files = storage.listdir(folder)
        except (FileNotFoundError, OSError):
            continue
        names += [f"{folder}/{name}" for name in files]
        stack += [f"{folder}/{d}" for d in dirs]
    return names
