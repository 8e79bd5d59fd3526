"""The programs' descriptive text in English and French (``kb.translation``)."""

from kb.translation import translate

from .models import Benefit, Program, ProgramEvent, Tier

translate(
    Program,
    ("scope", "summary", "description", "launch_window", "launch_derivation", "rollout_notes"),
    history={"m2m_fields": ["vendors", "focus_areas", "sources"]},
)
translate(Tier, ("summary", "requirements", "benefits_text"), history={"m2m_fields": ["sources"]})
translate(Benefit, ("title", "description"), required=("title",), history={"m2m_fields": ["sources"]})
translate(
    ProgramEvent,
    ("title", "date_text", "date_derivation", "place", "description"),
    required=("title",),
    history={"m2m_fields": ["sources"], "excluded_fields": ["told_on", "told_in", "told_at"]},
)
