"""The text of an uploaded document: plain text, HTML or PDF.

- ``.txt``: UTF-8 (a byte-order mark is dropped);
- ``.html`` / ``.htm``: the main text (no menus, footers, ads) and the
  metadata (title, author, date, site, address) with trafilatura;
- ``.pdf``: the text of every page, the title, author and creation date with
  pypdf (a scanned PDF without a text layer has none, and is refused as such).

``extract_document(name, data)`` returns an ``Extracted`` or raises
``DocumentError`` whose message names the problem, for a form to show.
Line ends become ``\\n``; control characters other than line breaks and
tabs are dropped; paragraphs are separated by a blank line.
"""

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

KINDS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DocumentError(ValueError):
    pass


@dataclass
class Extracted:
    text: str
    kind: str
    title: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    sitename: str = ""


def clean_text(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _extension(name):
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _from_text(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            _("This file is not UTF-8 text (byte %(pos)d cannot be read). Save it as UTF-8 and upload it again.")
            % {"pos": exc.start}
        ) from exc


def _from_html(data):
    import trafilatura

    document = trafilatura.bare_extraction(
        data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    if document is None or not (document.text or "").strip():
        return "", {}
    # trafilatura ends each paragraph with one line break; a blank line keeps them apart here.
    text = "\n\n".join(line for line in document.text.split("\n") if line.strip())
    meta = {
        "title": document.title or "",
        "author": document.author or "",
        "date": document.date or "",
        "url": document.url or "",
        "sitename": document.sitename or "",
    }
    return text, meta


def _from_pdf(data):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise DocumentError(_("This file is not a PDF (it does not start like one)."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(_("This PDF is protected by a password; upload an unprotected copy."))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "")
        author = str(meta.get("/Author") or "")
        try:
            created = reader.metadata.creation_date if reader.metadata else None
        except ValueError:  # a malformed date is no reason to refuse the text
            created = None
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(_("This PDF cannot be read (%(error)s).") % {"error": type(exc).__name__}) from exc
    date = created.date().isoformat() if created else ""
    return "\n\n".join(p for p in pages if p), {"title": title, "author": author, "date": date}


def extract_document(name, data, max_size=None):
    """The text of the uploaded file ``name`` (its bytes ``data``)."""
    extension = _extension(name or "")
    kind = KINDS.get(extension)
    if kind is None:
        raise DocumentError(
            _("“%(name)s” is not a file type that can be read: upload a .txt, .html or .pdf file.")
            % {"name": name or "?"}
        )
    if max_size is not None and len(data) > max_size:
        from django.template.defaultfilters import filesizeformat

        raise DocumentError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_size)}
        )
    if kind == "text":
        text, meta = _from_text(data), {}
    elif kind == "html":
        text, meta = _from_html(data)
    else:
        text, meta = _from_pdf(data)
    text = clean_text(text)
    if not text:
        raise DocumentError(
            _("No text could be extracted from “%(name)s” (an empty file, or a scanned PDF without a text layer?).")
            % {"name": name}
        )
    return Extracted(text=text, kind=kind, **meta)
