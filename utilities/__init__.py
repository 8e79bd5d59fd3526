"""Helpers that know nothing of the domain (text, CSV safety, ...)."""
