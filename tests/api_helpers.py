"""Helpers for the API tests: tenants folders with known keys, demo apps, demo tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from formengine.tenants import hash_key
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.demo import demo_app

#: API keys of the test tenants: alpha has two procedures, beta every one, gamma none.
KEYS = {"alpha": "fe_alpha-test-key", "beta": "fe_beta-test-key", "gamma": "fe_gamma-test-key"}
ALPHA_PROCEDURES = ("example-residence-registration", "example-temporary-absence")
#: What a signed-in adult answers of the example form (the register gives the rest).
RESIDENCE = {"reason": "own-home", "confirm": True,
             "address": {"province_code": "01", "commune_code": "00004",
                         "detail": "12 Phố Huế"}}


def tenants_folder(folder: Path, alpha_client_ids: tuple[str, ...] = ()) -> Path:
    """A tenants folder with alpha, beta and gamma (see :data:`KEYS`)."""
    folder.mkdir(exist_ok=True)
    procedures = {"alpha": list(ALPHA_PROCEDURES), "beta": ["*"], "gamma": []}
    for name, key in KEYS.items():
        lines = [f'name = "{name}"', f"procedures = {procedures[name]!r}".replace("'", '"')]
        if name == "alpha" and alpha_client_ids:
            lines.append(f"client_ids = {list(alpha_client_ids)!r}".replace("'", '"'))
        lines += ["[[api_keys]]", 'id = "test"', f'sha256 = "{hash_key(key)}"']
        (folder / f"{name}.toml").write_text("\n".join(lines) + "\n")
    return folder


def api_app(population_file: Path, tmp_path: Path, **settings: Any) -> Flask:
    """A demo-mode app with the test tenants."""
    return demo_app(population_file, tmp_path, tenants=tenants_folder(tmp_path / "tenants"),
                    **settings)


def bearer(tenant: str) -> dict[str, str]:
    """The Authorization header of a test tenant."""
    return {"Authorization": f"Bearer {KEYS[tenant]}"}


def adults(population_file: Path, count: int = 3) -> list[Citizen]:
    """Adults of the population with a household and a permanent residence."""
    people = (Citizen.model_validate(d) for d in read_documents(population_file))
    return [c for c in people if c.household is not None and c.date_of_death is None
            and c.date_of_birth is not None and c.date_of_birth.is_complete
            and c.date_of_birth.year < 2000 and c.permanent_residence is not None][:count]
