"""The sources' descriptive text in English and French (``kb.translation``).
A quote's text stays in its original language: it is not translated."""

from kb.translation import translate

from .models import Source

translate(Source, ("title", "summary"), required=("title",), history={})
