"""Typo tolerance that works on every database: each query word that is not a word of the catalogue is replaced
by the nearest one (rapidfuzz's normalised Indel ratio) from a cached vocabulary of the films' search
documents (titles, people, Tok Pisin titles and taglines, synopses, tags). "crocodle" -> "crocodile",
"sepik rivr" -> "sepik river", "kokda" -> "kokoda". Postgres's trigram search forgives some typos by itself; this
gives SQLite the same answers and both the "Did you mean" line."""

import re
import unicodedata

from django.core.cache import cache
from rapidfuzz import fuzz, process

from catalog.models import Film

VOCABULARY_KEY = "catalog:search:vocabulary:v1"
VOCABULARY_SECONDS = 600  # also dropped when a film's search document is rebuilt
MIN_WORD = 3  # shorter words ("of", "an") are left as typed
SCORE_CUTOFF = 75  # 0-100: "kokda"/"kokoda" 91, "rivr"/"river" 89; unrelated words stay far below
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


def vocabulary() -> frozenset[str]:
    """Every word (MIN_WORD letters or more) of the films' search documents: one query, then cached. Drafts' words
    are included (the corrector then needs no refresh on publication); results are filtered as always."""
    words = cache.get(VOCABULARY_KEY)
    if words is None:
        words = set()
        for text in Film.objects.values_list("search_text", flat=True):
            words.update(word for word in _words(text or "") if len(word) >= MIN_WORD)
        words = sorted(words)
        cache.set(VOCABULARY_KEY, words, VOCABULARY_SECONDS)
    return frozenset(words)


def vocabulary_forget() -> None:
    cache.delete(VOCABULARY_KEY)


def query_corrected(q: str) -> str | None:
    """`q` with each unknown word replaced by the nearest catalogue word, or None when nothing was changed."""
    words = _words(q)
    if not words:
        return None
    known = vocabulary()
    choices = sorted(known)
    corrected, changed = [], False
    for word in words:
        if len(word) < MIN_WORD or word in known or word.isdigit():
            corrected.append(word)
            continue
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=SCORE_CUTOFF)
        if best is None:
            corrected.append(word)
        else:
            corrected.append(best[0])
            changed = True
    return " ".join(corrected) if changed else None
