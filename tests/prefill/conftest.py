"""Fixtures shared by the adapter tests: one small synthetic population per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from prefill.synthetic import generate
from tests.prefill.contract import Population, generated

#: The population every adapter test reads (small: the contract needs variety, not size).
COUNT, SEED = 300, 11


@pytest.fixture(scope="session")
def population_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A population file of COUNT citizens generated with SEED."""
    path = tmp_path_factory.mktemp("population") / "population.sqlite3"
    generate(path, COUNT, SEED)
    return path


@pytest.fixture(scope="session")
def population() -> Population:
    """The same citizens as :func:`population_file`, by personal ID."""
    return generated(COUNT, SEED)
