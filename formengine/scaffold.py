"""``formengine new``: a starter definition built on the shared data dictionary.

The starter asks for the applicant (name, personal ID, date of birth, sex: filled in and
locked from the register by the shared components' default bindings), their permanent
residence (locked), a phone (filled in, editable), one question of the procedure's own
and a consent box, on two pages, with Vietnamese, English and French texts. It passes
``formengine check`` as written; the designer renames, adds and removes from there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

__all__ = ["ID_PATTERN", "ScaffoldError", "starter", "write_starter"]

#: What a procedure id looks like (also the file name, without ``.json``).
ID_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class ScaffoldError(Exception):
    """The id is not a valid procedure id, or the file exists already."""


def _text(vi: str, en: str, fr: str) -> dict[str, str]:
    return {"vi": vi, "en": en, "fr": fr}


def starter(procedure_id: str) -> dict[str, Any]:
    """The starter definition of ``procedure_id`` as a JSON-ready dict."""
    if not ID_PATTERN.fullmatch(procedure_id):
        raise ScaffoldError(f"{procedure_id!r} is not a procedure id: use 2 to 63 lower-case "
                            "letters, digits and hyphens, starting with a letter or digit")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-procedure": {
            "id": procedure_id,
            "version": "1",
            "title": _text("Thủ tục mới (hãy đổi tên)", "New procedure (rename me)",
                           "Nouvelle démarche (à renommer)"),
            "description": _text(
                "Một câu cho người dân biết thủ tục này dùng để làm gì.",
                "One sentence telling citizens what this procedure is for.",
                "Une phrase qui dit aux citoyens à quoi sert cette démarche."),
            "agency": _text("Ủy ban nhân dân cấp xã nơi cư trú",
                            "People's Committee of the commune where you live",
                            "Comité populaire de la commune où vous résidez"),
            "agency_level": "commune",
            "legal_basis": [],
            "documents_replaced": [_text(
                "Bản sao thẻ căn cước", "A copy of the identity card",
                "Une copie de la carte d'identité")],
            "declaration": _text(
                "Tôi cam đoan những nội dung khai trên là đúng sự thật.",
                "I declare that the information above is true.",
                "Je certifie que les informations ci-dessus sont exactes."),
            "min_assurance": 1,
            "life_event": "other",
        },
        "type": "object",
        "properties": {
            "full_name": {"$ref": "components/person-name.json"},
            "personal_id": {"$ref": "components/personal-id.json"},
            "date_of_birth": {"$ref": "components/date-of-birth.json"},
            "sex": {"$ref": "components/sex.json"},
            "permanent_residence": {
                "$ref": "components/address.json",
                "title": "Nơi thường trú",
                "x-i18n": {"en": {"title": "Permanent residence"},
                           "fr": {"title": "Résidence permanente"}},
                "x-prefill": {"attribute": "permanent_residence"},
            },
            "phone": {"$ref": "components/phone.json"},
            "request": {
                "type": "string",
                "title": "Nội dung đề nghị",
                "x-widget": "textarea",
                "minLength": 5,
                "maxLength": 2000,
                "x-help": "Thay câu hỏi này bằng các câu hỏi của tờ khai giấy.",
                "x-i18n": {
                    "en": {"title": "What you are asking for",
                           "x-help": "Replace this question with the paper form's questions."},
                    "fr": {"title": "Votre demande",
                           "x-help": "Remplacez cette question par celles du formulaire papier."},
                },
            },
            "consent": {
                "type": "boolean",
                "const": True,
                "x-widget": "consent",
                "title": "Tôi đồng ý để cơ quan giải quyết hồ sơ sử dụng các thông tin trên",
                "x-i18n": {
                    "en": {"title": "I agree that the office handling my application uses "
                                    "the information above"},
                    "fr": {"title": "J'accepte que le service qui traite ma demande utilise "
                                    "les informations ci-dessus"},
                },
            },
        },
        "required": ["full_name", "personal_id", "date_of_birth", "sex",
                     "permanent_residence", "request", "consent"],
        # Not additionalProperties: it would refuse the questions of conditional branches.
        "unevaluatedProperties": False,
        "x-layout": {"pages": [
            {"id": "applicant", "title": _text("Thông tin của bạn", "About you", "Vous concernant"),
             "description": _text(
                 "Các thông tin này lấy từ Cơ sở dữ liệu quốc gia về dân cư.",
                 "These details come from the National Population Database.",
                 "Ces informations proviennent de la base nationale de données de la "
                 "population."),
             "fields": ["/full_name", "/personal_id", "/date_of_birth", "/sex",
                        "/permanent_residence", "/phone"]},
            {"id": "request", "title": _text("Đề nghị của bạn", "Your request", "Votre demande"),
             "fields": ["/request", "/consent"]},
        ]},
    }


def write_starter(procedure_id: str, folder: Path) -> Path:
    """Write the starter of ``procedure_id`` to ``folder/<id>.json`` (never over a file)."""
    document = starter(procedure_id)
    path = folder / f"{procedure_id}.json"
    if path.exists():
        raise ScaffoldError(f"{path} exists already: choose another id or remove it")
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
