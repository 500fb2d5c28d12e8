"""Demo catalog: 8 genres and 32 films with credits, Tok Pisin translations and posters drawn locally.

`seed` makes the films and sends them for review; transcoding's seeder then gives each real media, and `publish`
approves those that have it (a film is published only with playable media: catalog.media). A film whose transcode
failed stays in review, and the next `seed_demo` finishes it."""

import hashlib
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts import selectors as account_selectors
from catalog import services
from catalog.errors import MediaNotReady
from catalog.models import Film, FilmStatus
from core.maturity import Maturity

GENRES = [
    ("Drama", "Drama"),
    ("Documentary", "Stori tru"),
    ("Comedy", "Komedi"),
    ("Action", "Aksen"),
    ("Family", "Famili"),
    ("Music", "Musik"),
    ("Short film", "Sotpela piksa"),
    ("Pacific stories", "Stori bilong Pasifik"),
]

# title, Tok Pisin title, genres, maturity, year, minutes, language
FILMS = [
    ("The Crocodile Prince", "Pukpuk Pikinini King", ["family", "pacific-stories"], Maturity.PG, 2024, 94, "tpi"),
    ("Sepik River Songs", "Singsing bilong Sepik", ["music", "documentary"], Maturity.G, 2023, 78, "tpi"),
    ("Highlands Coffee", "Kopi bilong Hailans", ["documentary"], Maturity.G, 2022, 62, "en"),
    ("Kokoda Dawn", "Moning long Kokoda", ["drama", "action"], Maturity.M, 2021, 112, "en"),
    ("Bilum", "Bilum", ["short-film", "pacific-stories"], Maturity.G, 2025, 14, "tpi"),
    ("Canoe of Stars", "Kanu bilong Sta", ["family", "pacific-stories"], Maturity.PG, 2024, 88, "en"),
    ("Port Moresby Nights", "Nait long Pot Mosbi", ["drama"], Maturity.MA15, 2023, 101, "en"),
    ("Mud Men", "Ol Man bilong Graun", ["documentary", "pacific-stories"], Maturity.PG, 2020, 55, "en"),
    ("The Betel Nut Seller", "Man i Salim Buai", ["comedy", "short-film"], Maturity.PG, 2025, 19, "tpi"),
    ("Rabaul Rising", "Rabaul i Kirap Gen", ["documentary"], Maturity.PG, 2022, 70, "en"),
    ("Tumbuna", "Tumbuna", ["drama", "pacific-stories"], Maturity.M, 2024, 97, "tpi"),
    ("Goroka Show", "Singsing Goroka", ["music", "documentary"], Maturity.G, 2023, 66, "en"),
    ("Last Bus to Lae", "Las Bas i Go long Lae", ["comedy"], Maturity.PG, 2021, 90, "tpi"),
    ("Reef Keepers", "Ol Wasman bilong Rif", ["documentary", "family"], Maturity.G, 2025, 52, "en"),
    ("Blood and Kina", "Blut na Kina", ["action", "drama"], Maturity.R18, 2024, 118, "en"),
    ("Wantok", "Wantok", ["comedy", "drama"], Maturity.M, 2022, 95, "tpi"),
    ("Bird of Paradise", "Kumul", ["family", "documentary"], Maturity.G, 2023, 48, "en"),
    ("The Cargo Cult", "Kago Kalt", ["drama", "pacific-stories"], Maturity.M, 2019, 104, "en"),
    ("Stringband", "Stringben", ["music"], Maturity.G, 2024, 81, "tpi"),
    ("Milne Bay Blues", "Blus bilong Milne Bay", ["music", "drama"], Maturity.M, 2022, 99, "en"),
    ("Island Football", "Futbol long Ailan", ["family", "comedy"], Maturity.G, 2025, 86, "en"),
    ("Volcano Diaries", "Buk bilong Paia Maunten", ["documentary"], Maturity.PG, 2021, 58, "en"),
    ("Shark Callers", "Ol Man i Singaut long Sak", ["documentary", "pacific-stories"], Maturity.PG, 2020, 64, "tpi"),
    ("Night Market", "Maket long Nait", ["short-film", "drama"], Maturity.M, 2025, 22, "tpi"),
    ("Tropic Heat", "Hat bilong Tropik", ["action"], Maturity.MA15, 2023, 109, "en"),
    ("Grandmother's Garden", "Gaden bilong Tumbuna Meri", ["family", "drama"], Maturity.G, 2024, 83, "tpi"),
    ("Digicel Love", "Laik long Fon", ["comedy"], Maturity.M, 2022, 92, "tpi"),
    ("Kula Ring", "Kula", ["documentary", "pacific-stories"], Maturity.PG, 2021, 73, "en"),
    ("Fly River", "Wara Fly", ["drama", "action"], Maturity.MA15, 2024, 115, "en"),
    ("Choir of Hanuabada", "Kwaia bilong Hanuabada", ["music", "short-film"], Maturity.G, 2025, 17, "en"),
    ("Long Walk Home", "Wokabaut i Go Long Haus", ["drama"], Maturity.PG, 2023, 100, "tpi"),
    ("Pidgin Detectives", "Ol Polis Tok Pisin", ["comedy", "action"], Maturity.M, 2025, 96, "tpi"),
]
PEOPLE = ["Kila Bona", "Mari Tau", "Joe Kaupa", "Rose Wambi", "Peter Aisi", "Grace Kuman", "John Gima", "Lina Morea"]
CHARACTERS = ["Kila", "Mama", "The Teacher", "Rosa", "Uncle Tom", "The Pastor"]
PALETTES = [
    ("#0f4c5c", "#e36414"),
    ("#3a0ca3", "#f72585"),
    ("#1b4332", "#95d5b2"),
    ("#7f5539", "#ddb892"),
    ("#03045e", "#00b4d8"),
    ("#6a040f", "#ffba08"),
    ("#2b2d42", "#ef233c"),
    ("#283618", "#dda15e"),
]


def _art(title: str, size: tuple[int, int], seed: int) -> SimpleUploadedFile:
    """A gradient with the title: a poster or backdrop that needs no network."""
    top, bottom = PALETTES[seed % len(PALETTES)]
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    t_rgb, b_rgb = Image.new("RGB", (1, 1), top).getpixel((0, 0)), Image.new("RGB", (1, 1), bottom).getpixel((0, 0))
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)], fill=tuple(int(t * (1 - mix) + b * mix) for t, b in zip(t_rgb, b_rgb, strict=True))
        )
    rng = random.Random(seed)  # noqa: S311  (decoration, not security)
    for _ in range(6):
        r = rng.randint(width // 10, width // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 255, 255), width=2)
    font = ImageFont.load_default(size=max(24, width // 12))
    words, lines, line = title.upper().split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width * 0.85 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = int(height * 0.62)
    for text in lines:
        draw.text((int(width * 0.07), y), text, font=font, fill=(255, 255, 255), stroke_width=2, stroke_fill=(0, 0, 0))
        y += int(font.size * 1.2)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{hashlib.sha1(title.encode()).hexdigest()[:10]}.jpg", buffer.getvalue(), "image/jpeg")  # noqa: S324


@transaction.atomic
def seed() -> list[str]:
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    staff = account_selectors.user_by_email(email="admin@wans.demo")
    genres = {}
    for name, name_tpi in GENRES:
        genre = services.genre_get_or_create(name=name, name_tpi=name_tpi)
        genres[genre.slug] = genre
    created = 0
    for index, (title, title_tpi, genre_slugs, maturity, year, minutes, language) in enumerate(FILMS):
        if Film.objects.filter(title=title, creator=creator).exists():
            continue
        film = services.film_create(
            creator=creator,
            data={
                "title": title,
                "tagline": f"A story from Papua New Guinea, {year}.",
                "synopsis": f"{title} follows people of Papua New Guinea through one unforgettable season.",
                "runtime_minutes": minutes,
                "release_year": year,
                "maturity": int(maturity),
                "original_language": language,
                "audio_languages": [language] if language == "en" else [language, "en"],
                "subtitle_languages": ["en", "tpi"],
                "production_countries": ["PG"] if index % 5 else ["PG", "AU"],
                "genres": [genres[slug] for slug in genre_slugs],
                "tags": ["png", "independent"],
                "credits": [
                    {"name": PEOPLE[index % len(PEOPLE)], "role": "director"},
                    {"name": PEOPLE[(index + 3) % len(PEOPLE)], "role": "writer"},
                    {"name": PEOPLE[(index + 5) % len(PEOPLE)], "role": "producer"},
                    {"name": PEOPLE[(index + 1) % len(PEOPLE)], "role": "cast", "character": CHARACTERS[index % 6]},
                    {
                        "name": PEOPLE[(index + 2) % len(PEOPLE)],
                        "role": "cast",
                        "character": CHARACTERS[(index + 1) % 6],
                    },
                ],
                "translations": [
                    {
                        "language": "tpi",
                        "title": title_tpi,
                        "tagline": "Wanpela stori bilong Papua Niugini.",
                        "synopsis": f"{title_tpi}: stori bilong ol manmeri bilong Papua Niugini.",
                    }
                ],
                "featured": index < 3,
            },
        )
        services.film_image_set(film=film, by=staff, kind="poster", upload=_art(title, (780, 1170), index))
        services.film_image_set(film=film, by=staff, kind="backdrop", upload=_art(title, (1280, 720), index + 1))
        services.film_submit(film=film, by=creator)
        created += 1
    waiting = Film.objects.filter(creator=creator, status=FilmStatus.IN_REVIEW).count()
    return [f"{len(genres)} genres, {waiting} films in review ({created} new) at {timezone.now():%Y-%m-%d}"]


def publish() -> list[str]:
    """Approve the demo creator's films in review (those of FILMS) that have playable media (after transcoding's
    seeder)."""
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    staff = account_selectors.user_by_email(email="admin@wans.demo")
    waiting = []
    titles = [title for title, *_ in FILMS]  # the portal's demo film in review (studio.demo) stays in review
    for film in Film.objects.filter(creator=creator, status=FilmStatus.IN_REVIEW, title__in=titles).order_by("id"):
        try:
            services.film_approve(film=film, by=staff, note="demo")
        except MediaNotReady:
            waiting.append(film.title)
    published = Film.objects.filter(creator=creator, status=FilmStatus.PUBLISHED).count()
    lines = [f"{published} published films"]
    if waiting:
        lines.append(f"{len(waiting)} still in review without media ({', '.join(waiting)}): run seed_demo again")
    return lines
