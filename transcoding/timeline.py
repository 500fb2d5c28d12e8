"""The filters that put a master's picture and sound on one clock starting at zero, and bring HDR down to SDR.

A master may start late (a broadcast MPEG-TS at 10:00:00), carry a start offset or negative timestamps (an edit
list, a trim without re-encoding), or have sound that begins or ends at another time than the picture. The film
is its picture: the output starts at the picture's first frame (time 0) and lasts as long as the picture.

* Sound that starts after the picture is preceded by silence; sound that starts before it is cut to the picture's
  first frame; sound shorter than the picture is padded with silence, longer is cut at the picture's last frame.
  So both tracks start within a frame of 0 and end together (`docs/transcoding.md`, "Timestamps").
* HDR (PQ or HLG, BT.2020) is tone-mapped once, before the ladder's split, to SDR BT.709 (zscale + tonemap): the
  H.264 rungs are 8-bit SDR, and an HDR picture shown as SDR without tone-mapping looks grey and washed out.
  Mobius keeps what lies near reference white as it is and rolls off only the highlights: on a master graded at
  BT.2408's 203-nit white it gives the SDR picture's levels (hable, the other usual choice, came out a third darker).
"""

from ffmpeg.nodes import FilterableStream

from transcoding.probe import Probe

SDR_TAGS = ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]


def tone_map(picture: FilterableStream, probe: Probe) -> FilterableStream:
    """The picture brought from the source's HDR to SDR BT.709, or as it is for SDR. The source's colour is stated
    first (setparams): zscale finds no conversion path from untagged frames."""
    if not probe.hdr:
        return picture
    primaries = probe.color_primaries if probe.color_primaries in ("bt2020", "smpte432", "bt709") else "bt2020"
    matrix = probe.color_matrix if probe.color_matrix in ("bt2020nc", "bt2020c", "bt709") else "bt2020nc"
    return (
        picture.filter("setparams", color_primaries=primaries, color_trc=probe.color_transfer, colorspace=matrix,
                       range="tv")
        .filter("zscale", t="linear", npl=100)
        .filter("format", "gbrpf32le")
        .filter("zscale", p="bt709")
        .filter("tonemap", tonemap="mobius", desat=0)
        .filter("zscale", t="bt709", m="bt709", r="tv")
        .filter("format", "yuv420p")
        .filter("setparams", color_primaries="bt709", color_trc="bt709", colorspace="bt709", range="tv")
    )


def video_input(film: FilterableStream, probe: Probe) -> FilterableStream:
    """The film's picture (its stream of the input `film`), its first frame at 0: the head of the ladder's video."""
    picture = film[str(probe.video_index)]
    if probe.interlaced:
        picture = picture.filter("yadif", deint="interlaced")
    return tone_map(picture.filter("setpts", "PTS-STARTPTS"), probe)


def audio_chain(film: FilterableStream, probe: Probe, outputs: int) -> list[FilterableStream]:
    """The main sound on the picture's clock, exactly as long as the picture, split into `outputs` streams: its own
    start moved to its offset from the picture's first frame, then aresample fills the gaps and pads (or cuts) the
    start to 0, apad + atrim make the length the picture's."""
    length = f"{max(probe.duration, 0.001):.3f}"
    sound = (
        film[str(probe.audio_index)]
        .filter("asetpts", f"PTS-STARTPTS+({probe.audio_offset:.3f}/TB)")
        .filter("aresample", **{"async": 1, "first_pts": 0})
        .filter("apad", whole_dur=length)
        .filter("atrim", end=length)
        .filter_multi_output("asplit")
    )
    return [sound[i] for i in range(outputs)]
