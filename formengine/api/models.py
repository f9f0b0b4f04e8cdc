"""Request and response models of the JSON API v1; the OpenAPI document is built from them."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

__all__ = [
    "Answers", "DemoToken", "DemoTokenRequest", "FieldErrorOut", "Problem",
    "ProcedureDetail", "ProcedureList", "ProcedureSummary", "SubmissionReceipt",
    "ValidationProblem", "ValidationResult",
]

#: A receipt number as the API gives it (``K7QM-2XHD``).
RECEIPT_PATTERN = r"^[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Problem(_Out):
    """An RFC 9457 problem detail (``application/problem+json``)."""

    type: str = Field("about:blank", description="A URI naming the kind of problem "
                      "(docs/api.md lists ours); about:blank for plain HTTP errors.")
    title: str = Field(description="A short summary, in the requested language.")
    status: int = Field(ge=400, le=599, description="The HTTP status code.")
    detail: str | None = Field(None, description="What happened and what to do.")
    instance: str | None = Field(None, description="The path of the request.")


class FieldErrorOut(_Out):
    """One failing answer: where, which JSON Schema keyword, and the message."""

    pointer: str = Field(description="JSON pointer of the answer (``/full_name/family``); "
                         "empty for the whole document.")
    keyword: str = Field(description="The JSON Schema keyword that failed (``required``, "
                         "``format``, ...).")
    message: str = Field(description="The message the form shows, in the requested language.")


class ValidationProblem(Problem):
    """A 422 problem: the answers are not valid; ``errors`` lists every failing field."""

    errors: list[FieldErrorOut]


class ValidationResult(_Out):
    """The answer of ``POST /procedures/{id}/validate``."""

    valid: bool
    errors: list[FieldErrorOut]


class Answers(RootModel[dict[str, Any]]):
    """The answers of a form: one JSON object shaped by the procedure's JSON Schema
    (``GET /procedures/{id}``). Answers to questions the form would not show for these
    answers, or does not have, are dropped before validation, exactly as in the form."""


class ProcedureSummary(_Out):
    """One procedure of the catalogue."""

    id: str
    version: str
    title: str = Field(description="In the requested language.")
    fee: int | None = Field(description="The fee in Vietnamese đồng (0: free); null when "
                            "the definition does not say.")
    fee_text: str | None = Field(description="The fee as written in the requested language, "
                                 "with its note.")
    processing_time: str | None = Field(description="In the requested language.")
    agency_level: Literal["commune", "province"] | None
    min_assurance: int = Field(ge=0, le=2, description="The level of assurance of the "
                               "citizen's sign-in a submission needs (0: none).")


class ProcedureList(_Out):
    """The procedures the caller may use."""

    procedures: list[ProcedureSummary]


class ProcedureDetail(_Out):
    """One procedure's definition."""

    id: str
    version: str
    content_hash: str = Field(description="Changes whenever the definition changes; a "
                              "submission records the hash it was validated against.")
    title: str = Field(description="In the requested language.")
    procedure: dict[str, Any] = Field(description="The definition's ``x-procedure`` "
                                      "metadata (docs/definitions.md), every language.")
    json_schema: dict[str, Any] = Field(alias="schema", description="The JSON Schema "
                                        "(2020-12) the answers are validated against, "
                                        "with every $ref inlined.")


class SubmissionReceipt(_Out):
    """A stored submission, as its tenant sees it."""

    receipt: str = Field(pattern=RECEIPT_PATTERN)
    status: Literal["received", "delivered", "processed"] = Field(
        description="received: stored; delivered: passed to the processing system; "
        "processed: decided.")
    procedure: str
    version: str
    submitted_at: datetime.datetime


class DemoTokenRequest(BaseModel):
    """Who the demo citizen token is for (demo mode only)."""

    model_config = ConfigDict(extra="forbid")

    personal_id: str = Field(pattern=r"^[0-9]{12}$", description="A 12-digit personal ID "
                             "of the demo's synthetic population (``/auth/demo`` lists some).")


class DemoToken(_Out):
    """A short-lived demo citizen token, for the ``X-Citizen-Token`` header."""

    token: str
    expires_in: int = Field(description="Seconds the token is valid for.")
