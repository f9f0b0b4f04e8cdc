"""Write the shared components that are code lists: nationality, ethnicity, marital status
and relationship to the head of household (form_definitions/components/).

    .venv/bin/python tools/build_components.py           # rewrite them
    .venv/bin/python tools/build_components.py --check   # exit 1 if a file is stale

The codes come from the Citizen record (prefill/codes.py), so a form and the register can
never disagree on them; country names in Vietnamese, English and French come from the
Unicode CLDR data Babel ships. tests/test_components.py fails when a file is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from babel import Locale  # noqa: E402

from prefill.codes import ETHNICITIES, MARITAL_STATUSES, RELATIONSHIPS  # noqa: E402

COMPONENTS = ROOT / "form_definitions" / "components"

#: CLDR territories that are not ISO 3166-1 countries (or are user-assigned codes).
NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB",
                 "XK", "ZZ"}

MARITAL = {"single": ("Single", "Célibataire"), "married": ("Married", "Marié(e)"),
           "divorced": ("Divorced", "Divorcé(e)"), "widowed": ("Widowed", "Veuf ou veuve")}
RELATIONSHIP = {
    "head": ("Head of household", "Chef de ménage"), "spouse": ("Spouse", "Conjoint"),
    "child": ("Child", "Enfant"), "child_in_law": ("Daughter- or son-in-law",
                                                    "Belle-fille ou gendre"),
    "grandchild": ("Grandchild", "Petit-enfant"), "parent": ("Parent", "Parent"),
    "parent_in_law": ("Parent-in-law", "Beau-parent"),
    "grandparent": ("Grandparent", "Grand-parent"),
    "sibling": ("Brother or sister", "Frère ou sœur"),
    "other_relative": ("Other relative", "Autre parent"),
    "other": ("Not a relative", "Sans lien de parenté"),
}


def _option(code: str, vi: str, en: str, fr: str) -> dict[str, Any]:
    return {"const": code, "title": vi, "x-i18n": {"en": {"title": en}, "fr": {"title": fr}}}


def _key(text: str) -> str:
    return unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")


def components() -> dict[str, dict[str, Any]]:
    """Every generated component, by file name."""
    vi, en, fr = (Locale.parse(lang).territories for lang in ("vi", "en", "fr"))
    countries = sorted((c for c in en if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES),
                       key=lambda c: (c != "VN", _key(vi.get(c, en[c]))))
    return {
        "nationality.json": {
            "title": "Quốc tịch", "type": "string", "x-widget": "select",
            "x-i18n": {"en": {"title": "Nationality"}, "fr": {"title": "Nationalité"}},
            "x-prefill": {"attribute": "nationality"},
            "oneOf": [_option(c, vi.get(c, en[c]), en[c], fr.get(c, en[c])) for c in countries],
        },
        "ethnicity.json": {
            "title": "Dân tộc", "type": "string", "x-widget": "select",
            "x-i18n": {"en": {"title": "Ethnic group"}, "fr": {"title": "Groupe ethnique"}},
            "x-prefill": {"attribute": "ethnicity"},
            # Names of peoples are proper nouns: written the same in the three languages.
            "oneOf": [_option(code, name, name, name) for code, name in ETHNICITIES.items()],
        },
        "marital-status.json": {
            "title": "Tình trạng hôn nhân", "type": "string", "x-widget": "radios",
            "x-i18n": {"en": {"title": "Marital status"},
                       "fr": {"title": "Situation matrimoniale"}},
            "x-prefill": {"attribute": "marital_status"},
            "oneOf": [_option(code, name, *MARITAL[code])
                      for code, name in MARITAL_STATUSES.items()],
        },
        "relationship.json": {
            "title": "Quan hệ với chủ hộ", "type": "string", "x-widget": "select",
            "x-i18n": {"en": {"title": "Relationship to the head of household"},
                       "fr": {"title": "Lien avec le chef de ménage"}},
            "x-prefill": {"attribute": "relationship_to_head"},
            "oneOf": [_option(code, name, *RELATIONSHIP[code])
                      for code, name in RELATIONSHIPS.items()],
        },
    }


def text(document: dict[str, Any]) -> str:
    """A component file's text (stable: the same data gives the same bytes)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for name, document in components().items():
        path = COMPONENTS / name
        wanted = text(document)
        if path.exists() and path.read_text(encoding="utf-8") == wanted:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(wanted, encoding="utf-8")
    if args.check and stale:
        print("stale: " + ", ".join(stale) + " (run tools/build_components.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
