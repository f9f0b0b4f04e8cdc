"""The documentation cannot drift from the code: every keyword, x-procedure key, binding
subject, prefill attribute and command in code is documented."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import click

from formengine.cli import main
from formengine.config import PROJECT_ROOT
from formengine.definitions.bindings import SUBJECTS

DOCS = PROJECT_ROOT / "docs"
META = json.loads((PROJECT_ROOT / "formengine" / "schemas" / "definition.schema.json"
                   ).read_text(encoding="utf-8"))


def test_every_x_keyword_is_in_the_designers_reference() -> None:
    keywords = sorted(set(re.findall(r'"(x-[a-z-]+)"', json.dumps(META))))
    assert len(keywords) > 10
    reference = (DOCS / "definitions.md").read_text(encoding="utf-8")
    assert [k for k in keywords if f"`{k}`" not in reference] == []


def test_every_x_procedure_key_and_subject_is_documented() -> None:
    reference = (DOCS / "definitions.md").read_text(encoding="utf-8")
    keys = list(META["$defs"]["procedure"]["properties"])
    assert [k for k in keys if f"| `{k}` |" not in reference] == []
    assert [s for s in SUBJECTS if f"`{s}`" not in reference] == []


def test_the_attribute_catalogue_is_generated_from_the_citizen_model() -> None:
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "tools" / "attributes_doc.py"),
                             "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_command_is_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    names = []
    for name, command in main.commands.items():
        if not (command.callback and command.callback.__module__.startswith("formengine")):
            continue  # a plugin's commands (flask-limiter's `limiter`) are documented there
        if isinstance(command, click.Group):
            names += [f"formengine {name} {sub}" for sub in command.commands]
        else:
            names.append(f"formengine {name}")
    assert [n for n in names if n not in readme] == []
