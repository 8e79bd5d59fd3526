"""The fingerprint of a text: the same article, whatever its line breaks and
spacing, has the same one (used to refuse ingesting a text twice)."""

import hashlib
import unicodedata


def text_fingerprint(text: str) -> str:
    """SHA-256 (hex) of the text in Unicode NFC with runs of white space as one space."""
    canonical = " ".join(unicodedata.normalize("NFC", text or "").split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
