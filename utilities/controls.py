"""Control characters in text input.

NUL, ANSI escape sequences (ESC ...), the other C0 controls, DEL and the C1
controls have no place in the knowledge: PostgreSQL refuses NUL outright
(SQLite stores it), terminals run escape sequences when a log or a dump is
read, and none of them can be typed in a form. Multi-line text keeps tab,
line feed and carriage return.
"""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MULTILINE_ALLOWED = frozenset("\t\n\r")


def is_control(char, multiline=False):
    code = ord(char)
    if multiline and char in MULTILINE_ALLOWED:
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F


def control_characters(value, multiline=False):
    """The control characters of ``value`` (each once, in order of appearance)."""
    if not isinstance(value, str):
        return []
    found = []
    for char in value:
        if is_control(char, multiline) and char not in found:
            found.append(char)
    return found


def describe(chars):
    """``U+0000, U+001B``: how the message names them."""
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


def has_control_characters(value, multiline=False):
    return bool(control_characters(value, multiline))


@deconstructible
class ControlCharacterValidator:
    """Refuses text holding control characters (``multiline``: tab, line
    feed and carriage return are allowed)."""

    message = _("Remove the control characters from this text (%(chars)s): they cannot be stored.")
    code = "control_characters"

    def __init__(self, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                self(item)
            return
        chars = control_characters(value, self.multiline)
        if chars:
            raise ValidationError(self.message, code=self.code, params={"chars": describe(chars)})

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline


single_line = ControlCharacterValidator(multiline=False)
multi_line = ControlCharacterValidator(multiline=True)
