"""Rendering: effective schema + answers -> field tree (with WTForms inputs) -> templates."""
