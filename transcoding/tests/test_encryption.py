"""The encrypted variant: AES-128 HLS (whole segments, IV = media sequence) and CENC DASH by Shaka Packager, with
one key per film sealed at rest; no clear segment reaches protected storage."""

import base64
import hashlib
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import imageio_ffmpeg
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.files.storage import storages

from transcoding import keys, selectors, services
from transcoding.models import FilmKey, JobState

pytestmark = pytest.mark.django_db


def _decrypt(data: bytes, key: bytes, sequence: int) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(sequence.to_bytes(16, "big"))).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


@pytest.fixture
def encrypted_job(film, creator, clips):
    job = services.job_create(
        film=film, by=creator, source_path=clips("p480", width=640, height=480, seconds=2), enqueue=False, encrypt=True
    )
    return services.job_run(job_id=job.pk)


def test_a_film_key_is_made_once_and_sealed_with_the_master_key(film, settings):
    first = keys.film_key_ensure(film_id=film.pk)
    again = keys.film_key_ensure(film_id=film.pk)

    row = FilmKey.objects.get(film=film)
    assert (again.kid, again.key, len(first.key), len(first.kid)) == (first.kid, first.key, 16, 16)
    assert first.key.hex() not in row.key_sealed and first.key not in row.key_sealed.encode()
    fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(settings.TRANSCODING_KEY_MASTER.encode()).digest()))
    assert fernet.decrypt(row.key_sealed.encode()) == first.key


def test_a_rotated_master_still_opens_old_keys_and_a_wrong_one_refuses(film, settings):
    made = keys.film_key_ensure(film_id=film.pk)
    settings.TRANSCODING_KEY_MASTER_OLD = [settings.TRANSCODING_KEY_MASTER]
    settings.TRANSCODING_KEY_MASTER = "a-new-master"
    assert keys.film_key_get(film_id=film.pk).key == made.key
    settings.TRANSCODING_KEY_MASTER_OLD = []
    with pytest.raises(RuntimeError, match="cannot be opened"):
        keys.film_key_get(film_id=film.pk)


def test_an_encrypted_job_stores_aes128_hls_and_cenc_dash_and_no_clear_segment(encrypted_job, film, tmp_path):
    job = encrypted_job
    assert job.state == JobState.COMPLETED, job.error
    media = selectors.film_media(film_id=film.pk)
    key = selectors.film_key(film_id=film.pk)
    assert (media.encrypted, media.key_id) == (True, key.kid_hex)
    assert media.hls_master == f"{job.output_prefix}/hls/master.m3u8"
    assert media.dash_manifest == f"{job.output_prefix}/dash/manifest.mpd"
    root = Path(storages["protected"].path(job.output_prefix))
    assert sorted(p.name for p in root.glob("seg_*")) == [] and not (root / "manifest.mpd").exists()

    playlist = (root / "hls" / "media_0.m3u8").read_text().splitlines()
    map_at = next(i for i, line in enumerate(playlist) if line.startswith("#EXT-X-MAP"))
    assert playlist[map_at + 1] == f'#EXT-X-KEY:METHOD=AES-128,URI="wans-key://{key.kid_hex}"'
    sequence = int(next(line for line in playlist if line.startswith("#EXT-X-MEDIA-SEQUENCE")).split(":")[1])
    first_segment = next(line for line in playlist if line and not line.startswith("#"))
    clear = _decrypt((root / "hls" / first_segment).read_bytes(), key.key, sequence)
    assert clear[4:8] in (b"styp", b"moof")  # a CMAF fragment once decrypted with IV = its sequence number
    assert media.audio_only_playlist == f"{job.output_prefix}/hls/media_{media.audio_only.representation_id}.m3u8"

    mpd = ET.parse(root / "dash" / "manifest.mpd").getroot()  # noqa: S314
    schemes = {cp.get("schemeIdUri") for cp in mpd.iter("{urn:mpeg:dash:schema:mpd:2011}ContentProtection")}
    assert "urn:mpeg:dash:mp4protection:2011" in schemes
    kids = {
        cp.get("{urn:mpeg:cenc:2013}default_KID").replace("-", "")
        for cp in mpd.iter("{urn:mpeg:dash:schema:mpd:2011}ContentProtection")
        if cp.get("{urn:mpeg:cenc:2013}default_KID")
    }
    assert kids == {key.kid_hex}

    # ffmpeg decrypts the CENC video with the key and decodes every frame; without it the stream is not decodable
    init = next((root / "dash").glob("init_0.m4s"))
    joined = tmp_path / "v.mp4"
    joined.write_bytes(init.read_bytes() + b"".join(p.read_bytes() for p in sorted((root / "dash").glob("seg_0_*"))))
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    command = [ffmpeg, "-v", "error", "-decryption_key", key.key_hex, "-i", str(joined), "-f", "null", "-"]
    done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0 and done.stderr == "", done.stderr
