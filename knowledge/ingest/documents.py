"""A document to ingest: its text and metadata, read by ``utilities.documents``
(the one reader of .txt, .html and .pdf, shared with the sources admin's
upload), plus what ingestion needs on top: pasted text, the language (given
or detected), a title when the document has none, and the content hash.
Anything that cannot become a usable text raises ``DocumentError`` with a
message for the person who sent it."""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from utilities.documents import DocumentError, clean_text, extract_document
from utilities.fingerprint import text_fingerprint

from .nlp import SUPPORTED_LANGUAGES, UnsupportedLanguage, detect_language

__all__ = ["Document", "DocumentError", "content_hash", "max_bytes", "read_document"]


@dataclass
class Document:
    text: str
    filename: str = ""
    kind: str = "text"  # text, html or pdf (utilities.documents)
    title: str = ""
    outlet: str = ""
    author: str = ""
    url: str = ""
    published_on: datetime.date | None = None
    language: str = ""
    metadata: dict = field(default_factory=dict)

    @property
    def content_hash(self):
        return content_hash(self.text)


def max_bytes():
    """The largest document accepted: the same limit as a Source's upload."""
    return settings.SOURCE_UPLOAD_MAX_SIZE


def content_hash(text):
    """The fingerprint Source.content_hash holds (see utilities.fingerprint)."""
    return text_fingerprint(text)


def read_document(filename, data, language=None):
    """A ``Document`` from a file's name and bytes, or from pasted text (a str)."""
    if isinstance(data, str):
        if len(data.encode("utf-8")) > max_bytes():
            from django.template.defaultfilters import filesizeformat

            raise DocumentError(
                _("This text is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(len(data.encode("utf-8"))), "limit": filesizeformat(max_bytes())}
            )
        doc = Document(text=clean_text(data), kind="text")
    else:
        raw = bytes(data or b"")
        if b"\x00" in raw[:4096] and not raw.startswith(b"%PDF-"):
            raise DocumentError(_("“%(name)s” is not a text file (binary content).") % {"name": filename or "?"})
        extracted = extract_document(filename, raw, max_size=max_bytes())
        doc = Document(
            text=extracted.text,
            kind=extracted.kind,
            title=extracted.title[:300],
            outlet=extracted.sitename[:200],
            author=extracted.author,
            url=extracted.url if extracted.url.startswith(("http://", "https://")) else "",
            published_on=_date(extracted.date),
        )
    doc.filename = filename or ""
    if len(re.findall(r"\w+", doc.text)) < 3:
        raise DocumentError(_("“%(name)s” holds no readable text.") % {"name": filename or _("The text")})
    if not doc.title:
        first = doc.text.split("\n", 1)[0].strip()
        doc.title = first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"
    detected = detect_language(doc.text)
    doc.metadata["detected_language"] = detected
    doc.language = language or detected or ""
    if doc.language not in SUPPORTED_LANGUAGES:
        raise DocumentError(str(UnsupportedLanguage(doc.language)))
    return doc


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
