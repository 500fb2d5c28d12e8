"""Poster and backdrop renditions, made with Pillow at the sizes the site and apps ask for."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

# Widths per kind; heights follow the image's own aspect ratio.
RENDITION_WIDTHS = {"poster": (185, 342, 780), "backdrop": (780, 1280)}
MAX_SOURCE_PIXELS = 40_000_000


def renditions(kind: str, source: Image.Image, *, prefix: str) -> list[tuple[int, int, ContentFile]]:
    """JPEG renditions (progressive, quality 82) no wider than the source."""
    image = ImageOps.exif_transpose(source).convert("RGB")
    out = []
    for width in RENDITION_WIDTHS[kind]:
        if width > image.width and out:
            break
        target_width = min(width, image.width)
        height = max(1, round(image.height * target_width / image.width))
        resized = image.resize((target_width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
        out.append((width, height, ContentFile(buffer.getvalue(), name=f"{prefix}-{kind}-{width}w.jpg")))
    return out
