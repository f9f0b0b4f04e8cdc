"""formengine's tests; a package so that tests/prefill/ imports as tests.prefill, not as prefill."""
