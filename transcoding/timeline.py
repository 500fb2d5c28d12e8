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

from transcoding.probe import Probe

SDR_TAGS = ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]


def tone_map(probe: Probe) -> str:
    """The filter chain from the source's HDR to SDR BT.709 (with a trailing comma), or "" for SDR. The source's
    colour is stated first (setparams): zscale finds no conversion path from untagged frames."""
    if not probe.hdr:
        return ""
    primaries = probe.color_primaries if probe.color_primaries in ("bt2020", "smpte432", "bt709") else "bt2020"
    matrix = probe.color_matrix if probe.color_matrix in ("bt2020nc", "bt2020c", "bt709") else "bt2020nc"
    return (
        f"setparams=color_primaries={primaries}:color_trc={probe.color_transfer}:colorspace={matrix}:range=tv,"
        "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=mobius:desat=0,"
        "zscale=t=bt709:m=bt709:r=tv,format=yuv420p,"
        "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv,"
    )


def video_input(probe: Probe) -> str:
    """The film's picture, its first frame at 0 (the label and the head of the ladder's video chain)."""
    deinterlace = "yadif=deint=interlaced," if probe.interlaced else ""
    return f"[0:{probe.video_index}]{deinterlace}setpts=PTS-STARTPTS,{tone_map(probe)}"


def audio_chain(probe: Probe, outputs: int) -> str:
    """The main sound on the picture's clock, exactly as long as the picture, split into `outputs` labels
    [a0][a1]...: its own start moved to its offset from the picture's first frame, then aresample fills the gaps
    and pads (or cuts) the start to 0, apad + atrim make the length the picture's."""
    length = f"{max(probe.duration, 0.001):.3f}"
    labels = "".join(f"[a{i}]" for i in range(outputs))
    return (
        f"[0:{probe.audio_index}]asetpts=PTS-STARTPTS+({probe.audio_offset:.3f}/TB),"
        "aresample=async=1:first_pts=0,"
        f"apad=whole_dur={length},atrim=end={length},asplit={outputs}{labels}"
    )
