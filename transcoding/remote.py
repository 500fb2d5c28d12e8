"""Remote (Akash) workers talk to us over HTTP: progress with a bearer token (TRANSCODING_WORKER_TOKEN), callbacks
with the body signed by HMAC-SHA256 of TRANSCODING_WEBHOOK_SECRET. Both checks here, in constant time, refusing
everything while their setting is empty; the views only pass the header and the raw body."""

import hashlib
import hmac

from django.conf import settings

from transcoding.errors import NotAuthenticated

SIGNATURE_HEADER = "X-WANS-Signature"


def worker_token_verify(*, header: str) -> None:
    """`header` is the request's Authorization (`Bearer <token>`). Raises NotAuthenticated unless it is the token."""
    token = settings.TRANSCODING_WORKER_TOKEN
    given = header.removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise NotAuthenticated("A valid worker token is required.")


def remote_callback_verify(*, body: bytes, header: str) -> None:
    """`header` is X-WANS-Signature (`sha256=<hex>` of the raw body). Raises NotAuthenticated (bad_signature)
    unless it signs `body` with the webhook secret."""
    secret = settings.TRANSCODING_WEBHOOK_SECRET
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    # Compared as bytes: a header with non-ASCII characters is a bad signature, not a TypeError.
    given = header.encode("utf-8", "replace")
    if not secret or not hmac.compare_digest(given, expected.encode()):
        raise NotAuthenticated("Bad or missing signature.", code="bad_signature")
