"""Accessibility checks with axe-core (node_modules/axe-core, installed by ./dev setup)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# Runs axe on the whole document and keeps what a test needs from each violation.
_RUN_AXE = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}
"""


@cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS} is missing: run ./dev setup (npm ci installs axe-core)", pytrace=False
        )
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on ``page`` and return its serious and critical violations.

    Each violation is ``{"id", "impact", "help", "helpUrl", "targets"}`` where ``targets``
    holds one CSS selector per offending node. An empty list means the page passed.

    axe is injected with ``page.evaluate`` (DevTools ``Runtime.evaluate``), which the page's
    Content-Security-Policy does not block, unlike an injected ``<script>`` tag
    (``page.add_script_tag``), so pages served with a strict CSP can be checked as they are.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """Readable text for an assertion message."""
    return "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']} -> {', '.join(v['targets'])}" for v in violations
    )
