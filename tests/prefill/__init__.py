"""Tests of the prefill package (population data)."""
