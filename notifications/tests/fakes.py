"""Local fakes of the providers the SMS and web-push adapters speak to, each a threaded http.server on 127.0.0.1
that checks the real request format and authentication and answers as the provider does:

- FakeTwilio: the Messages API (form-encoded, HTTP Basic AccountSid:AuthToken, Twilio's JSON answers and error
  codes), and status callbacks signed with X-Twilio-Signature as Twilio signs them.
- FakePngGateway: our documented PNG gateway contract (docs/notifications-channels.md): JSON, X-API-Key,
  Idempotency-Key, and delivery receipts signed with X-Gateway-Signature (HMAC-SHA256).
- FakePushService: an RFC 8030 push service over HTTPS (a self-signed certificate made here; point requests at it
  with REQUESTS_CA_BUNDLE): it verifies the VAPID token (RFC 8292: ES256 signature with the `k` key, `aud` the
  endpoint's origin, `exp` within 24 hours, `k` the key the subscription was made with) and decrypts the aes128gcm
  payload (RFC 8188/8291) with the subscription's private key and auth secret, for the test to read.

The signatures here are computed independently of notifications/channels (a fake that signed with the code under
test would prove nothing). Each fake is a context manager; `fail_next(...)` queues a provider error."""

import base64
import datetime
import hashlib
import hmac
import ipaddress
import json
import os
import re
import ssl
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€"
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class _Fake:
    """A threaded HTTP(S) server whose handler calls `self.handle(handler)` -> (status, headers, body bytes)."""

    scheme = "http"

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self._failures: list[tuple[int, dict, bytes]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.body = self.rfile.read(length) if length else b""
                with fake._lock:
                    failure = fake._failures.pop(0) if fake._failures else None
                status, headers, body = failure if failure else fake.handle(self)
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET = do_DELETE = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.wrap()
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def wrap(self) -> None:
        """Subclasses serving HTTPS wrap the listening socket here."""

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        """The next request is answered `status` with `body` (JSON), whatever it is."""
        with self._lock:
            self._failures.append((status, {"Content-Type": "application/json", **(headers or {})},
                                   json.dumps(body or {}).encode()))

    def record(self, handler, **extra) -> dict:
        entry = {"method": handler.command, "path": handler.path, "headers": handler.headers,  # case-insensitive
                 "body": handler.body, **extra}
        with self._lock:
            self.requests.append(entry)
        return entry


def _json(status: int, body: dict, **headers) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


def _segments(text: str) -> int:
    """The provider's own count (kept apart from notifications.channels.sms_text)."""
    if all(char in GSM7 for char in text):
        septets = sum(2 if char in "\f^{}\\[~]|€" else 1 for char in text)
        return 1 if septets <= 160 else -(-septets // 153)
    units = sum(2 if ord(char) > 0xFFFF else 1 for char in text)
    return 1 if units <= 70 else -(-units // 67)


# --- Twilio ---------------------------------------------------------------------------------------------------------


class FakeTwilio(_Fake):
    ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
    AUTH_TOKEN = "twilio-test-auth-token-0001"

    def __init__(self) -> None:
        super().__init__()
        self.messages: dict[str, dict] = {}

    def _error(self, status: int, code: int, message: str) -> tuple[int, dict, bytes]:
        return _json(status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                              "status": status})

    def handle(self, handler):
        entry = self.record(handler)
        if handler.command != "POST" or handler.path != f"/2010-04-01/Accounts/{self.ACCOUNT_SID}/Messages.json":
            return self._error(404, 20404, "The requested resource was not found")
        expected = "Basic " + base64.b64encode(f"{self.ACCOUNT_SID}:{self.AUTH_TOKEN}".encode()).decode()
        if handler.headers.get("Authorization") != expected:
            return self._error(401, 20003, "Authenticate")
        if handler.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return self._error(400, 20001, "Content-Type must be application/x-www-form-urlencoded")
        form = urllib.parse.parse_qs(handler.body.decode(), keep_blank_values=True, strict_parsing=True)
        if any(len(values) != 1 for values in form.values()):
            return self._error(400, 20001, "A parameter was repeated")
        form = {name: values[0] for name, values in form.items()}
        entry["form"] = form
        if not form.get("To"):
            return self._error(400, 21604, "A 'To' phone number is required.")
        if not re.fullmatch(r"\+[1-9]\d{6,14}", form["To"]):
            return self._error(400, 21211, f"The 'To' number {form['To']} is not a valid phone number.")
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return self._error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.")
        if not form.get("Body"):
            return self._error(400, 21602, "Message body is required.")
        if len(form["Body"]) > 1600:
            return self._error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        sid = "SM" + uuid.uuid4().hex
        message = {
            "sid": sid, "account_sid": self.ACCOUNT_SID, "to": form["To"], "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"), "body": form["Body"], "status": "queued",
            "num_segments": str(_segments(form["Body"])), "num_media": "0", "direction": "outbound-api",
            "api_version": "2010-04-01", "price": None, "error_code": None, "error_message": None,
            "status_callback": form.get("StatusCallback"),
            "date_created": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
            "uri": f"/2010-04-01/Accounts/{self.ACCOUNT_SID}/Messages/{sid}.json",
        }
        self.messages[sid] = message
        return _json(201, message)

    def signature(self, url: str, params: dict) -> str:
        """As Twilio signs a request to `url`: HMAC-SHA1 of the URL and the sorted parameters, base64."""
        data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
        return base64.b64encode(hmac.new(self.AUTH_TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()

    def status_callback(self, sid: str, status: str, *, error_code: str = "") -> tuple[str, dict, dict]:
        """(url, form parameters, headers) of the status callback Twilio would post for message `sid`."""
        message = self.messages[sid]
        params = {"AccountSid": self.ACCOUNT_SID, "ApiVersion": "2010-04-01", "From": message["from"] or "",
                  "MessageSid": sid, "MessageStatus": status, "SmsSid": sid, "SmsStatus": status,
                  "To": message["to"]}
        if message["messaging_service_sid"]:
            params["MessagingServiceSid"] = message["messaging_service_sid"]
        if error_code:
            params["ErrorCode"] = error_code
        url = message["status_callback"]
        return url, params, {"X-Twilio-Signature": self.signature(url, params)}

    def fire_status(self, sid: str, status: str, *, url: str = "", error_code: str = "") -> int:
        """POST the signed status callback (to `url`, else the message's StatusCallback); the HTTP status."""
        signed_url, params, headers = self.status_callback(sid, status, error_code=error_code)
        return _post(url or signed_url, urllib.parse.urlencode(params).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded", **headers})


def _post(url: str, data: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)  # noqa: S310  (a test's URL)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- The PNG gateway ------------------------------------------------------------------------------------------------


class FakePngGateway(_Fake):
    API_KEY = "png-gateway-test-key"
    SECRET = "png-gateway-test-webhook-secret"

    def __init__(self) -> None:
        super().__init__()
        self.messages: dict[str, dict] = {}
        self.by_idempotency_key: dict[str, str] = {}

    def _error(self, status: int, code: str, message: str):
        return _json(status, {"error": {"code": code, "message": message}})

    def handle(self, handler):
        entry = self.record(handler)
        if handler.command != "POST" or handler.path != "/v1/messages":
            return self._error(404, "not_found", "No such resource.")
        if handler.headers.get("X-API-Key") != self.API_KEY:
            return self._error(401, "unauthorized", "Missing or wrong X-API-Key.")
        if not (handler.headers.get("Content-Type") or "").startswith("application/json"):
            return self._error(415, "unsupported_media_type", "Send JSON.")
        try:
            payload = json.loads(handler.body)
        except ValueError:
            return self._error(400, "invalid_json", "The body is not JSON.")
        entry["json"] = payload
        key = handler.headers.get("Idempotency-Key") or ""
        if not key:
            return self._error(400, "idempotency_key_required", "Send an Idempotency-Key.")
        if key in self.by_idempotency_key:  # a retry: the first message, not a second SMS
            return _json(200, self.messages[self.by_idempotency_key[key]]["answer"])
        if not re.fullmatch(r"[A-Za-z0-9 ]{1,11}", str(payload.get("sender_id", ""))):
            return self._error(400, "invalid_sender", "sender_id: 1 to 11 letters or digits.")
        if not re.fullmatch(r"6757\d{7}", str(payload.get("msisdn", ""))):
            return self._error(400, "invalid_msisdn", "msisdn: a PNG mobile, 675 and 8 digits beginning with 7.")
        text = payload.get("message")
        if not isinstance(text, str) or not text:
            return self._error(400, "invalid_message", "message is required.")
        coding = payload.get("data_coding")
        if coding not in ("gsm7", "ucs2") or (coding == "gsm7" and any(char not in GSM7 for char in text)):
            return self._error(400, "invalid_data_coding", "data_coding: gsm7 for GSM 03.38 text, else ucs2.")
        segments = _segments(text)
        if segments > 6:
            return self._error(413, "message_too_long", "At most 6 segments.")
        message_id = "pg-" + uuid.uuid4().hex[:20]
        answer = {"message_id": message_id, "status": "accepted", "segments": segments, "msisdn": payload["msisdn"]}
        self.messages[message_id] = {"answer": answer, "request": payload}
        self.by_idempotency_key[key] = message_id
        return _json(201, answer)

    def signature(self, body: bytes, timestamp: int) -> str:
        digest = hmac.new(self.SECRET.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={digest}"

    def receipt(self, message_id: str, status: str, *, error_code: str | None = None,
                timestamp: int | None = None) -> tuple[str, bytes, dict]:
        """(callback url, body, headers) of the delivery receipt the gateway would post."""
        request = self.messages[message_id]["request"]
        body = json.dumps({
            "message_id": message_id, "reference": request["reference"], "msisdn": request["msisdn"],
            "status": status, "error_code": error_code,
            "timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }).encode()
        signed_at = int(time.time()) if timestamp is None else timestamp
        return request["callback_url"], body, {"Content-Type": "application/json",
                                               "X-Gateway-Signature": self.signature(body, signed_at)}

    def fire_receipt(self, message_id: str, status: str, *, url: str = "", error_code: str | None = None) -> int:
        callback, body, headers = self.receipt(message_id, status, error_code=error_code)
        return _post(url or callback, body, headers)


# --- A web-push service -----------------------------------------------------------------------------------------------


def _self_signed(folder: str) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, as PEM files; the certificate is its own CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake push service")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = os.path.join(folder, "push.crt"), os.path.join(folder, "push.key")
    with open(cert_path, "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return cert_path, key_path


def _maybe_json(payload: bytes):
    try:
        return json.loads(payload)
    except ValueError:
        return None


class Browser:
    """What a browser holds for one push subscription: its ECDH key pair and auth secret."""

    def __init__(self, endpoint: str, application_server_key: str) -> None:
        self.endpoint = endpoint
        self.application_server_key = application_server_key
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.gone = False

    @property
    def subscription(self) -> dict:
        """PushSubscription.toJSON()."""
        public = self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                            serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": _b64url(public), "auth": _b64url(self.auth)}}


class VapidRefused(Exception):
    pass


def verify_vapid(authorization: str, *, audience: str, application_server_key: str, now: float) -> dict:
    """RFC 8292 `Authorization: vapid t=<JWT>, k=<public key>`: the JWT's claims if the token is good."""
    scheme, _, rest = (authorization or "").partition(" ")
    if scheme.lower() != "vapid":
        raise VapidRefused(f"not a vapid Authorization: {authorization[:40]!r}")
    params = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
    token, key = params.get("t", ""), params.get("k", "")
    if key.rstrip("=") != application_server_key.rstrip("="):
        raise VapidRefused("k is not the key the subscription was made with")
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(_b64url_decode(header_b64))
        claims = json.loads(_b64url_decode(claims_b64))
        signature = _b64url_decode(signature_b64)
    except ValueError as error:
        raise VapidRefused(f"not a JWT: {error}") from error
    if header.get("alg") != "ES256" or len(signature) != 64:
        raise VapidRefused(f"not an ES256 JWT: {header}")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64url_decode(key))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise VapidRefused("the JWT's signature does not verify with k") from error
    if claims.get("aud") != audience:
        raise VapidRefused(f"aud {claims.get('aud')!r} is not the push service's origin {audience!r}")
    if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 24 * 3600:
        raise VapidRefused(f"exp {claims.get('exp')!r} is not within the next 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise VapidRefused("sub is not a mailto: or https: contact")
    return claims


class FakePushService(_Fake):
    """`subscribe(application_server_key)` makes a Browser whose endpoint is here; every accepted push is decrypted
    into `delivered` ({"browser", "payload" (bytes), "json", "headers", "claims"})."""

    scheme = "https"

    def __init__(self) -> None:
        self._folder = tempfile.mkdtemp(prefix="fake-push-")
        self.ca_bundle, self._key = _self_signed(self._folder)
        self.browsers: dict[str, Browser] = {}
        self.delivered: list[dict] = []
        self.refusals: list[str] = []
        super().__init__()

    def wrap(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_bundle, self._key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        for name in os.listdir(self._folder):
            os.remove(os.path.join(self._folder, name))
        os.rmdir(self._folder)

    def subscribe(self, application_server_key: str) -> Browser:
        token = uuid.uuid4().hex
        browser = Browser(f"{self.url}/push/{token}", application_server_key)
        self.browsers[token] = browser
        return browser

    def _refuse(self, status: int, reason: str):
        with self._lock:
            self.refusals.append(reason)
        return _json(status, {"code": status, "errno": 109, "error": "Unauthorized", "message": reason})

    def handle(self, handler):
        self.record(handler)
        match = re.fullmatch(r"/push/([0-9a-f]{32})", handler.path)
        browser = self.browsers.get(match.group(1)) if match else None
        if handler.command != "POST" or browser is None:
            return self._refuse(404, "no such subscription")
        if browser.gone:
            return self._refuse(410, "the subscription has expired or was removed")
        headers = handler.headers
        if not (headers.get("TTL") or "").isdigit():
            return self._refuse(400, "TTL header missing")
        try:
            claims = verify_vapid(headers.get("Authorization", ""), audience=self.url,
                                  application_server_key=browser.application_server_key, now=time.time())
        except VapidRefused as refused:
            return self._refuse(403, str(refused))
        if headers.get("Content-Encoding") != "aes128gcm":
            return self._refuse(400, f"Content-Encoding {headers.get('Content-Encoding')!r}, not aes128gcm")
        if len(handler.body) > 4096:
            return self._refuse(413, "payload over 4096 bytes")
        try:
            payload = http_ece.decrypt(handler.body, private_key=browser.private_key, auth_secret=browser.auth,
                                       version="aes128gcm")
        except Exception as error:  # noqa: BLE001  (any failure to decrypt is the sender's fault: 400)
            return self._refuse(400, f"cannot decrypt: {type(error).__name__}: {error}")
        message_id = uuid.uuid4().hex
        with self._lock:
            self.delivered.append({"browser": browser, "payload": payload, "json": _maybe_json(payload),
                                   "headers": headers, "claims": claims, "id": message_id})
        return 201, {"Location": f"{self.url}/message/{message_id}"}, b""
