"""The fakes refuse what the real providers refuse: otherwise a passing adapter test would prove nothing."""

import time

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

from notifications.channels.push import b64url, public_key_b64
from notifications.tests.fakes import FakePushService, VapidRefused, verify_vapid

AUD = "https://push.example:8443"


def _token(key: ec.EllipticCurvePrivateKey, **claims) -> str:
    claims = {"aud": AUD, "exp": int(time.time()) + 3600, "sub": "mailto:ops@wans.example", **claims}
    return Vapid(private_key=key, conf={"no-strict": True}).sign(claims)["Authorization"]  # any sub, to test it


def test_the_push_service_accepts_a_good_token():
    key = ec.generate_private_key(ec.SECP256R1())
    claims = verify_vapid(_token(key), audience=AUD, application_server_key=public_key_b64(key.public_key()),
                          now=time.time())
    assert claims["aud"] == AUD


@pytest.mark.parametrize(("change", "reason"), [
    ({"aud": "https://another.example"}, "is not the push service's origin"),
    ({"exp": int(time.time()) + 25 * 3600}, "not within the next 24 hours"),
    ({"exp": int(time.time()) - 10}, "not within the next 24 hours"),
    ({"sub": "ops"}, "sub is not"),
])
def test_the_push_service_refuses_bad_claims(change, reason):
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(VapidRefused, match=reason):
        verify_vapid(_token(key, **change), audience=AUD, application_server_key=public_key_b64(key.public_key()),
                     now=time.time())


def test_the_push_service_refuses_a_token_signed_by_another_key_under_ours():
    ours, forger = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    forged = _token(forger)
    token = forged.split("t=", 1)[1].split(",", 1)[0]
    header = f"vapid t={token}, k={public_key_b64(ours.public_key())}"
    with pytest.raises(VapidRefused, match="signature does not verify"):
        verify_vapid(header, audience=AUD, application_server_key=public_key_b64(ours.public_key()), now=time.time())


def test_a_payload_for_another_browser_does_not_decrypt():
    with FakePushService() as service:
        ours, theirs = service.subscribe("k"), service.subscribe("k")
        sender = ec.generate_private_key(ec.SECP256R1())
        receiver = ours.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                              serialization.PublicFormat.UncompressedPoint)
        body = http_ece.encrypt(b'{"title": "x"}', private_key=sender, dh=receiver, auth_secret=ours.auth,
                                version="aes128gcm")
        assert http_ece.decrypt(body, private_key=ours.private_key, auth_secret=ours.auth,
                                version="aes128gcm") == b'{"title": "x"}'
        with pytest.raises(http_ece.ECEException, match="InvalidTag"):
            http_ece.decrypt(body, private_key=theirs.private_key, auth_secret=theirs.auth, version="aes128gcm")
        assert b64url(ours.auth) == ours.subscription["keys"]["auth"]
