"""Source clips for tests: transcoding's sample maker (one ffmpeg command line, not a copy per test module)."""

from transcoding.samples import make_clip

__all__ = ["make_clip"]
