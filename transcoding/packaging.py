"""After the encode: read what ffmpeg wrote (the MPD and one HLS media playlist per representation), measure each
stream's real bandwidth from its segments, and write the HLS master playlist. One set of CMAF segments, two manifests.

Every rendition's init and segments end in a folder of their own (`<rep>/`, or `hls/<rep>/` and `dash/<rep>/` when
encrypted), with the manifests outside them: a media token's scope is one such folder (docs/playback.md).
Encrypted packaging (`package(..., encrypt=True, keys=...)`) turns the clear segments into AES-128 HLS and CENC DASH
with one key per quality class (encryption.py; docs/transcoding.md). Reading ffmpeg's manifests is manifests.py."""

from pathlib import Path

from transcoding import encryption
from transcoding.errors import PackagingUnavailable
from transcoding.keys import key_class_for
from transcoding.manifests import Stream, media_segments, read_mpd


def measure(out_dir: Path, stream: Stream) -> None:
    """Peak and average bits per second from the segments' real sizes (the init segment counts toward the first).

    A segment far shorter than the others (the last few milliseconds of AAC after the picture ends) is rated over
    half the longest segment's duration: a 341-byte tail of 0.01 s is not a 270 kbit/s peak, and an inflated
    BANDWIDTH would keep a player on a slow link off the very rung (the 64k audio-only one) meant for it."""
    segments = media_segments(out_dir / stream.playlist)
    init = out_dir / f"init_{stream.representation_id}.m4s"
    init_size = init.stat().st_size if init.exists() else 0
    total_bytes, total_seconds, peak = init_size, 0.0, 0.0
    floor = max((seconds for seconds, _ in segments), default=0.0) / 2
    for index, (seconds, uri) in enumerate(segments):
        size = (out_dir / uri).stat().st_size
        total_bytes += size
        total_seconds += seconds
        if seconds > 0:
            peak = max(peak, (size + (init_size if index == 0 else 0)) * 8 / max(seconds, floor))
    stream.size_bytes = total_bytes
    stream.average_bandwidth = int(total_bytes * 8 / total_seconds) if total_seconds else stream.declared_bandwidth
    stream.peak_bandwidth = int(peak) or stream.declared_bandwidth


def write_master(out_dir: Path, streams: list[Stream], *, folder: str = "") -> Path:
    """HLS master: each video rung with the main audio, plus an audio-only variant (the data saver). With `folder`
    (the encrypted set, "hls"), the master goes there and names the playlists relative to it."""
    videos = sorted((s for s in streams if s.kind == "video"), key=lambda s: -(s.height or 0))
    audios = sorted((s for s in streams if s.kind == "audio"), key=lambda s: -s.declared_bandwidth)
    main_audio = audios[0] if audios else None
    saver = audios[-1] if len(audios) > 1 else main_audio
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if main_audio:
        lines.append(
            f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Stereo",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",'
            f'URI="{_relative(main_audio.playlist, folder)}"'
        )
    for video in videos:
        peak = video.peak_bandwidth + (main_audio.peak_bandwidth if main_audio else 0)
        average = video.average_bandwidth + (main_audio.average_bandwidth if main_audio else 0)
        codecs = ",".join(c for c in (video.codecs, main_audio.codecs if main_audio else "") if c)
        attrs = [
            f"BANDWIDTH={peak}",
            f"AVERAGE-BANDWIDTH={average}",
            f"RESOLUTION={video.width}x{video.height}",
            f'CODECS="{codecs}"',
        ]
        if video.frame_rate:
            attrs.append(f"FRAME-RATE={video.frame_rate:.3f}")
        if main_audio:
            attrs.append('AUDIO="audio"')
        lines += [f"#EXT-X-STREAM-INF:{','.join(attrs)}", _relative(video.playlist, folder)]
    if saver:
        lines += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={saver.peak_bandwidth},AVERAGE-BANDWIDTH={saver.average_bandwidth},"
            f'CODECS="{saver.codecs}"',
            _relative(saver.playlist, folder),
        ]
    path = out_dir / folder / "master.m3u8"
    path.write_text("\n".join(lines) + "\n")
    return path


def _relative(playlist: str, folder: str) -> str:
    return playlist.removeprefix(f"{folder}/") if folder else playlist


def restructure_clear(out_dir: Path, streams: list[Stream]) -> None:
    """The clear set: each rendition's init and segments moved into `<rep>/`, the playlists and the MPD's segment
    templates naming them there."""
    for stream in streams:
        rid = stream.representation_id
        folder = out_dir / rid
        folder.mkdir(exist_ok=True)
        for path in [out_dir / f"init_{rid}.m4s", *out_dir.glob(f"seg_{rid}_*.m4s")]:
            if path.exists():
                path.rename(folder / path.name)
        lines = []
        for line in (out_dir / stream.playlist).read_text().splitlines():
            if line.startswith("#EXT-X-MAP:"):
                uri = line.split('URI="', 1)[1].split('"', 1)[0]
                line = line.replace(f'URI="{uri}"', f'URI="{rid}/{uri}"')
            elif line and not line.startswith("#"):
                line = f"{rid}/{line}"
            lines.append(line)
        (out_dir / stream.playlist).write_text("\n".join(lines) + "\n")
    mpd = out_dir / "manifest.mpd"
    text = mpd.read_text()
    for attribute in ("initialization", "media"):
        text = text.replace(f'{attribute}="', f'{attribute}="$RepresentationID$/')
    mpd.write_text(text)


def package(
    out_dir: Path,
    *,
    encrypt: bool = False,
    keys: dict | None = None,
    rungs: dict | None = None,
    segment_seconds: int = 4,
    streams: list[Stream] | None = None,
) -> list[Stream]:
    """Measure every stream, write the HLS master, and drop ffmpeg's own master (ours replaces it).

    `rungs`: {(width, height): ladder rung} (a rendition's quality class follows its rung). With `encrypt` (and
    `keys`, keys.film_keys_ensure's {class: ContentKey}): the clear CMAF becomes an AES-128 HLS set in hls/ and a
    CENC DASH set in dash/ (see encryption.py), each rendition with its class's key; the clear segments are
    removed. Bandwidths are measured on the clear segments (AES padding adds at most 16 bytes a segment).
    `streams` (already measured) is for re-packaging, where no MPD of ffmpeg's exists."""
    if encrypt and not keys:
        raise PackagingUnavailable("Encrypted packaging needs the film's content keys.")
    if streams is None:
        streams = read_mpd(out_dir)
        for stream in streams:
            measure(out_dir, stream)
    for stream in streams:
        if stream.kind == "video" and rungs:
            stream.rung = rungs.get((stream.width, stream.height), stream.rung)
        stream.key_class = key_class_for(kind=stream.kind, rung=stream.rung or stream.height)
    if encrypt:
        encryption.encrypt_dash(out_dir, streams, keys=keys, segment_seconds=segment_seconds)
        for stream in streams:
            key = keys[stream.key_class]
            stream.key_id = key.kid_hex
            stream.playlist = encryption.encrypt_hls_playlist(
                out_dir, stream.playlist, rid=stream.representation_id, key=key.key, kid_hex=key.kid_hex
            )
        encryption.remove_clear(out_dir)
        write_master(out_dir, streams, folder="hls")
        return streams
    restructure_clear(out_dir, streams)
    write_master(out_dir, streams)
    (out_dir / "ffmpeg_master.m3u8").unlink(missing_ok=True)
    return streams
