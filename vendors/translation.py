"""The vendors' descriptive text in English and French (``kb.translation``)."""

from kb.translation import translate

from .models import Person, Vendor, VendorRelation

translate(Vendor, ("summary", "description"), history={"m2m_fields": ["sources"]})
translate(Person, ("title",), history={"m2m_fields": ["sources"]})
translate(VendorRelation, ("summary",), history={"m2m_fields": ["sources"]})
