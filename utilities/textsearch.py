"""Text helpers for a French and English full-text search. Pure functions on
strings: nothing here knows Django or the domain.

The same steps run when a record is indexed and when a query is read, on
both database engines, so what is written is what is looked up:

1. ``fold``: lowercase, no accents, ligatures spelt out (``œ`` → ``oe``,
   ``æ`` → ``ae``), every apostrophe the same (``’`` → ``'``);
2. ``words``: the words of the folded text, French elisions dropped
   (``l’année`` → ``annee``, ``d'infrastructure`` → ``infrastructure``);
3. ``stems``: each word's French and English Snowball stems (the algorithms
   PostgreSQL's ``french_stem`` and ``english_stem`` dictionaries use), from
   the ``snowballstemmer`` package.

``STOPWORDS`` are PostgreSQL's (Snowball's) French and English stop-word
lists (``data/stopwords_*.txt``); a query drops them.

``word_spans`` gives the words of a text with their offsets in the original
text, to highlight the matched forms.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer

# NFKD leaves these whole (they are letters, not compatibility forms).
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ĳ": "ij", "Ĳ": "ij"})
APOSTROPHES = "'’‘ʼ`´′"
_APOSTROPHE_TABLE = str.maketrans({a: "'" for a in APOSTROPHES})
# French elided articles, pronouns and conjunctions: "l'", "d'", "qu'"...
ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

DATA = Path(__file__).resolve().parent / "data"


def _read_list(name):
    return frozenset(line.strip() for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip())


# Compared with folded words, as PostgreSQL compares them after unaccent: an
# accented entry ("été") never matches, exactly as in the database.
STOPWORDS_FR = _read_list("stopwords_fr.txt")
STOPWORDS_EN = _read_list("stopwords_en.txt")
STOPWORDS = STOPWORDS_FR | STOPWORDS_EN


@lru_cache(maxsize=8192)
def _fold_char(char):
    decomposed = unicodedata.normalize("NFKD", char.translate(LIGATURES).translate(_APOSTROPHE_TABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text):
    """Lowercase, accents off, ligatures spelt out, apostrophes made plain."""
    if not text:
        return ""
    text = str(text).translate(LIGATURES).translate(_APOSTROPHE_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold_with_map(text):
    """``fold(text)`` and, for each of its characters, the index of the
    character of ``text`` it comes from (``None`` when they are the same:
    plain ASCII folds character for character)."""
    if text.isascii():
        return text.translate(_APOSTROPHE_TABLE).lower(), None
    out, index = [], []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def _split(folded):
    """(start, end, word) of each word of a folded text, elisions dropped and
    other apostrophes splitting ("partner's" → "partner", "s")."""
    for match in _WORD.finditer(folded):
        start = match.start()
        parts = match.group().split("'")
        for i, part in enumerate(parts):
            if not (i < len(parts) - 1 and part in ELISIONS):
                yield start, start + len(part), part
            start += len(part) + 1


def words(text):
    """The folded words of ``text``, French elisions dropped."""
    return [w for _s, _e, w in _split(fold(text))]


def word_spans(text):
    """(start, end, folded word) for each word, offsets into ``text`` itself."""
    folded, index = fold_with_map(text)
    if index is None:
        return [(s, e, w) for s, e, w in _split(folded) if e > s]
    return [(index[s], index[e - 1] + 1, w) for s, e, w in _split(folded) if e > s]


_FRENCH = snowballstemmer.stemmer("french")
_ENGLISH = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stems(word):
    """The word's French and English stems (one when they agree)."""
    fr, en = _FRENCH.stemWord(word), _ENGLISH.stemWord(word)
    return (fr,) if fr == en else (fr, en)


def is_indexable(word):
    """Words kept in an index or a query: two characters or more, not a stop word."""
    return len(word) > 1 and word not in STOPWORDS


def index_text(text):
    """The text as the SQLite full-text index stores it: the stems of its
    indexable words, separated by spaces."""
    return " ".join(s for w in words(text) if is_indexable(w) for s in stems(w))


def plain_text(text):
    """The text as the PostgreSQL index is fed it (the database stems it with
    its ``french`` and ``english`` configurations): folded words, elisions off."""
    return " ".join(words(text))


MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
}
QUARTERS = {"en": "Q{n} quarter", "fr": "T{n} trimestre"}


def date_words(date, precision):
    """A date in words in both languages, as precisely as it is known (an
    event of July 2010 is found by "July 2010" and by "juillet 2010")."""
    if date is None or precision == "unknown":
        return ""
    if precision == "year":
        return str(date.year)
    if precision == "quarter":
        n = (date.month - 1) // 3 + 1
        return " ".join(f"{QUARTERS[lang].format(n=n)} {date.year}" for lang in ("en", "fr"))
    parts = []
    for lang in ("en", "fr"):
        month = MONTHS[lang][date.month - 1]
        parts.append(f"{date.day} {month} {date.year}" if precision == "day" else f"{month} {date.year}")
    return " ".join(parts)
