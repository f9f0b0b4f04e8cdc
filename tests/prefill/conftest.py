"""Fixtures shared by the adapter tests: the session population (tests/conftest.py) as
Citizen records."""

from __future__ import annotations

import pytest

from tests.conftest import POPULATION_COUNT as COUNT
from tests.conftest import POPULATION_SEED as SEED
from tests.prefill.contract import Population, generated


@pytest.fixture(scope="session")
def population() -> Population:
    """The same citizens as :func:`population_file`, by personal ID."""
    return generated(COUNT, SEED)
