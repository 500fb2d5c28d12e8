"""Builders for the portal's tests: creators (approved or applying), their films, teammates."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog import services as catalog_services


def approved_creator(make_user, name: str = "Kina Films"):
    """An approved creator whose page's address is made from `name` ("Kina Films" -> kina-films)."""
    return make_user("creator", display_name=name)


def film_of(creator, title: str = "Sepik River"):
    return catalog_services.film_create(creator=creator, data={"title": title})


def png(name: str = "poster.png", size=(200, 300)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
