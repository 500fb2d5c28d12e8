"""The encrypted variant: AES-128 HLS (whole segments, IV = media sequence) and CENC DASH by Shaka Packager, with
one key per quality class sealed at rest, each rendition in its own folder; no clear segment reaches protected
storage; `drm_check` finds media that drifted from its keys."""

import base64
import hashlib
import io
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import imageio_ffmpeg
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import timezone

from transcoding import encryption, keys, rotation, selectors, services, tasks
from transcoding.models import FilmKey, JobState

pytestmark = pytest.mark.django_db


def _decrypt(data: bytes, key: bytes, sequence: int) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(sequence.to_bytes(16, "big"))).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


@pytest.fixture
def encrypted_job(film, creator, clips):
    """A 720p source: rungs 720 (HD), 480/360/240 (SD), and audio."""
    job = services.job_create(
        film=film,
        by=creator,
        source_path=clips("enc720", width=1280, height=720, seconds=2),
        enqueue=False,
        encrypt=True,
    )
    return services.job_run(job_id=job.pk)


def test_a_film_has_one_key_per_quality_class_made_once_and_sealed_with_the_master_key(film, settings):
    first = keys.film_keys_ensure(film_id=film.pk)
    again = keys.film_keys_ensure(film_id=film.pk)

    assert set(first) == {"sd", "hd", "uhd", "audio"}
    assert {c: (k.kid, k.key) for c, k in again.items()} == {c: (k.kid, k.key) for c, k in first.items()}
    assert len({k.key for k in first.values()}) == 4 and len({k.kid for k in first.values()}) == 4
    fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(settings.TRANSCODING_KEY_MASTER.encode()).digest()))
    for row in FilmKey.objects.filter(film=film):
        key = first[row.key_class]
        assert key.key.hex() not in row.key_sealed and key.key not in row.key_sealed.encode()
        assert fernet.decrypt(row.key_sealed.encode()) == key.key and row.kid == key.kid_hex


def test_a_rotated_master_still_opens_old_keys_and_a_wrong_one_refuses(film, settings):
    made = keys.film_keys_ensure(film_id=film.pk)
    settings.TRANSCODING_KEY_MASTER_OLD = [settings.TRANSCODING_KEY_MASTER]
    settings.TRANSCODING_KEY_MASTER = "a-new-master"
    assert keys.film_keys_current(film_id=film.pk)["hd"].key == made["hd"].key
    settings.TRANSCODING_KEY_MASTER_OLD = []
    with pytest.raises(RuntimeError, match="cannot be opened"):
        keys.film_keys_current(film_id=film.pk)


def test_renditions_are_classed_by_their_rung():
    assert [keys.key_class_for(kind="video", rung=r) for r in (240, 480, 720, 1080, 1440, 2160)] == [
        "sd",
        "sd",
        "hd",
        "hd",
        "uhd",
        "uhd",
    ]
    assert keys.key_class_for(kind="audio", rung=None) == "audio"


def test_an_encrypted_job_stores_each_rendition_in_its_folder_with_its_class_key(encrypted_job, film, tmp_path):
    job = encrypted_job
    assert job.state == JobState.COMPLETED, job.error
    media = selectors.film_media(film_id=film.pk)
    current = keys.film_keys_current(film_id=film.pk)
    by_rung = {r.rung or r.kind: r for r in media.renditions if not r.audio_only}
    assert {rung: r.key_id for rung, r in by_rung.items()} == {
        720: current["hd"].kid_hex,
        480: current["sd"].kid_hex,
        360: current["sd"].kid_hex,
        240: current["sd"].kid_hex,
        "audio": current["audio"].kid_hex,
    }
    assert media.audio_only.key_id == current["audio"].kid_hex
    assert media.current_kids == {k.kid_hex for k in current.values()}
    assert media.hls_master == f"{job.output_prefix}/hls/master.m3u8"
    assert media.dash_manifest == f"{job.output_prefix}/dash/manifest.mpd"
    root = Path(storages["protected"].path(job.output_prefix))
    assert sorted(p.name for p in root.glob("seg_*")) == [] and not (root / "manifest.mpd").exists()
    for rendition in media.renditions:  # a rendition folder holds its init and segments, and nothing else
        rid = rendition.representation_id
        assert {p.name.split("_")[0] for p in (root / "hls" / rid).iterdir()} == {"init", "seg"}
        assert {p.name.split("_")[0].split(".")[0] for p in (root / "dash" / rid).iterdir()} == {"init", "seg"}

    hd = by_rung[720]
    playlist = (root / hd.playlist).read_text().splitlines()
    map_at = next(i for i, line in enumerate(playlist) if line.startswith("#EXT-X-MAP"))
    assert playlist[map_at] == f'#EXT-X-MAP:URI="{hd.representation_id}/init_{hd.representation_id}.m4s"'
    assert playlist[map_at + 1] == f'#EXT-X-KEY:METHOD=AES-128,URI="wans-key://{current["hd"].kid_hex}"'
    sequence = int(next(line for line in playlist if line.startswith("#EXT-X-MEDIA-SEQUENCE")).split(":")[1])
    first_segment = next(line for line in playlist if line and not line.startswith("#"))
    data = (root / "hls" / first_segment).read_bytes()
    assert _decrypt(data, current["hd"].key, sequence)[4:8] in (b"styp", b"moof")
    with pytest.raises(ValueError):  # the SD key cannot open an HD segment (bad padding)
        assert _decrypt(data, current["sd"].key, sequence)[4:8] not in (b"styp", b"moof")

    mpd = ET.parse(root / "dash" / "manifest.mpd").getroot()  # noqa: S314
    schemes = {cp.get("schemeIdUri") for cp in mpd.iter("{urn:mpeg:dash:schema:mpd:2011}ContentProtection")}
    assert "urn:mpeg:dash:mp4protection:2011" in schemes
    kids = {
        cp.get("{urn:mpeg:cenc:2013}default_KID").replace("-", "")
        for cp in mpd.iter("{urn:mpeg:dash:schema:mpd:2011}ContentProtection")
        if cp.get("{urn:mpeg:cenc:2013}default_KID")
    }
    assert kids == {current[c].kid_hex for c in ("sd", "hd", "audio")}  # one key per class present

    # ffmpeg decrypts the CENC HD video with the HD key and decodes every frame; the SD key does not open it
    rid = hd.representation_id
    joined = tmp_path / "v.mp4"
    dash = root / "dash" / rid
    joined.write_bytes((dash / "init.m4s").read_bytes() + b"".join(p.read_bytes() for p in sorted(dash.glob("seg_*"))))
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    for key, clean in ((current["hd"], True), (current["sd"], False)):
        command = [ffmpeg, "-v", "error", "-decryption_key", key.key_hex, "-i", str(joined), "-f", "null", "-"]
        done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
        assert (done.returncode == 0 and done.stderr == "") is clean, done.stderr


def test_drm_check_passes_on_good_media_and_names_the_film_and_rendition_whose_segment_drifted(
    encrypted_job, film, tmp_path
):
    out, err = io.StringIO(), io.StringIO()
    call_command("drm_check", stdout=out, stderr=err)
    assert out.getvalue() == "ok: 6 rendition(s) match their keys\n" and err.getvalue() == ""

    # one rendition's first segment replaced by one encrypted with another key (what a test run writing over the
    # demo's folder did): the playlist and the database still agree, only decrypting shows it
    media = selectors.film_media(film_id=film.pk)
    sd = next(r for r in media.renditions if r.rung == 360)
    root = Path(storages["protected"].path(media.prefix))
    segment = next((root / "hls" / sd.representation_id).glob("seg_*"))
    sequence = int(segment.stem.rsplit("_", 1)[1])
    clear = _decrypt(segment.read_bytes(), keys.film_key_by_kid(film_id=film.pk, kid_hex=sd.key_id).key, sequence)
    segment.write_bytes(encryption.aes128_cbc(clear, key=b"\x01" * 16, sequence=sequence))

    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 problem\(s\) in 6 rendition\(s\) checked"):
        call_command("drm_check", stdout=io.StringIO(), stderr=err)  # manage.py exits 1 on a CommandError
    assert err.getvalue() == (
        f'film {film.pk} "{film.title}" job {encrypted_job.pk} rendition 360p (rep {sd.representation_id}): '
        "the first HLS segment does not decrypt with its key into a CMAF fragment\n"
    )


def test_rotation_re_encrypts_without_re_encoding_retires_the_old_keys_and_purges_them_after_the_grace(
    encrypted_job, film, settings
):
    before = keys.film_keys_current(film_id=film.pk)
    old_prefix = encrypted_job.output_prefix
    encoded = (encrypted_job.ffmpeg_command, encrypted_job.realtime_factor)

    [job] = rotation.film_keys_rotate(film_id=film.pk)

    after = keys.film_keys_current(film_id=film.pk)
    assert {k.generation for k in after.values()} == {2} and not {k.kid for k in after.values()} & {
        k.kid for k in before.values()
    }
    assert job.pk == encrypted_job.pk and job.output_prefix == f"{old_prefix}-g2" and job.layout == 2
    assert (job.ffmpeg_command, job.realtime_factor) == encoded  # no new encode
    media = selectors.film_media(film_id=film.pk)
    assert media.current_kids == {k.kid_hex for k in after.values()}
    assert {r.key_id for r in media.renditions} == {after[c].kid_hex for c in ("sd", "hd", "audio")}
    assert FilmKey.objects.filter(film=film, generation=1, retired_at__isnull=False).count() == 4
    out = io.StringIO()
    call_command("drm_check", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == "ok: 6 rendition(s) match their keys\n"
    storage = storages["protected"]
    old_segment = f"{old_prefix}/hls/{media.renditions[0].representation_id}"
    assert storage.listdir(old_segment)[1]  # still there for players holding a playlist from before

    # within the grace period nothing goes; after it, the retired keys and the old media do
    assert rotation.keys_retired_purge() == 0
    later = timezone.now() + timedelta(seconds=settings.TRANSCODING_KEY_RETIRED_GRACE_SECONDS + 1)
    assert rotation.keys_retired_purge(at=later) == 4
    assert not FilmKey.objects.filter(film=film, generation=1).exists()
    assert storage.listdir(old_segment) == ([], []) and storage.exists(f"{job.output_prefix}/hls/master.m3u8")
    assert storage.exists(f"{job.output_prefix}/poster.jpg")  # stills and sprites carried over


def test_old_layout_media_is_not_served_is_reported_and_is_re_packaged_by_the_daily_task(encrypted_job, film):
    Job = type(encrypted_job)  # noqa: N806
    Job.objects.filter(pk=encrypted_job.pk).update(layout=1)  # as the migration marks media packaged before
    assert selectors.film_media(film_id=film.pk) is None and film.pk not in selectors.film_ids_with_media()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("drm_check", stdout=io.StringIO(), stderr=err)
    assert "packaged in the old one-key layout: run drm_repackage" in err.getvalue()
    assert rotation.films_due_for_rotation() == [film.pk]

    assert tasks.keys_rotate() == {"rotated": [film.pk], "failed": [], "purged": 0}

    assert selectors.film_media(film_id=film.pk).job_id == encrypted_job.pk
    assert rotation.films_due_for_rotation() == []
