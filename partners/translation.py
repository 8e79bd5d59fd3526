"""The partners' descriptive text in English and French (``kb.translation``)."""

from kb.translation import translate

from .models import Partner

translate(Partner, ("description",), history={"m2m_fields": ["sources"]})
