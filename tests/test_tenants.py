"""Tenants (formengine/tenants.py) and ``formengine tenants``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from formengine.cli import main
from formengine.config import PROJECT_ROOT
from formengine.tenants import TenantError, Tenants, hash_key, load_tenant, new_key

GOOD = """
name = { vi = "Cổng Hà Nội", en = "Hà Nội portal" }
origins = ["https://dichvucong.hanoi.gov.vn", "http://localhost:5001"]
procedures = ["birth-registration"]
default_language = "en"

[branding]
logo = "/static/logo.svg"
colors = { primary = "#A50E0E", primary_text = "#fff" }

[webhook]
url = "https://xuly.hanoi.gov.vn/formengine"
secret_env = "HANOI_SECRET"

[[api_keys]]
id = "processing"
sha256 = "%s"
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_tenant_file_is_read_and_validated(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    key = new_key()
    tenant = load_tenant(write(tmp_path, "hanoi", GOOD % hash_key(key)))
    assert tenant.id == "hanoi" and tenant.default_language == "en"
    assert tenant.allows("birth-registration") and not tenant.allows("death-registration")
    assert tenant.css_variables() == "--fe-primary: #a50e0e; --fe-primary-text: #fff"
    assert tenant.webhook is not None
    with pytest.raises(TenantError, match="HANOI_SECRET is not set"):
        tenant.webhook.secret_value()
    monkeypatch.setenv("HANOI_SECRET", "s3cret")
    assert tenant.webhook.secret_value() == "s3cret"
    tenants = Tenants.load(tmp_path)
    assert tenants.by_key(key) == tenant and tenants.by_key(key + "x") is None
    assert tenants.get("hanoi") == tenant and tenants.get("hue") is None and len(tenants) == 1


@pytest.mark.parametrize(("text", "where"), [
    ('name = "x"\norigins = ["https://a.vn/path"]', "origins.0"),
    ('name = "x"\norigins = ["http://portal.vn"]', "origins.0"),
    ('name = "x"\n[branding]\ncolors = { primary = "red; background: url(x)" }',
     "branding.colors.primary"),
    ('name = "x"\n[branding]\nlogo = "javascript:alert(1)"', "branding.logo"),
    ('name = "x"\n[webhook]\nurl = "https://a.vn"', "webhook"),
    ('name = "x"\n[[api_keys]]\nid = "k"\nsha256 = "plain-text-key"', "api_keys.0.sha256"),
    ('name = "x"\nscript = "<script>"', "script"),
    ('origins = []', "name"),
    ('name = "x"\nid = "other"', "id"),
    ('name = "x"\norigins = [', "not valid TOML"),
])
def test_problems_name_the_file_and_the_key(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, "hue", text)
    with pytest.raises(TenantError) as caught:
        Tenants.load(tmp_path)
    assert str(caught.value).startswith(f"{path}: {where}"), str(caught.value)


def test_the_file_name_is_the_id(tmp_path: Path) -> None:
    with pytest.raises(TenantError, match="file name must be a tenant id"):
        load_tenant(write(tmp_path, "Hà Nội", 'name = "x"'))


def test_enabled_procedures_must_exist(tmp_path: Path) -> None:
    write(tmp_path, "hue", 'name = "x"\nprocedures = ["*", "birth-registration", "nope"]')
    tenants = Tenants.load(tmp_path)
    with pytest.raises(TenantError, match=r"hue.toml: procedures.2: no definition called 'nope'"):
        tenants.check_procedures({"birth-registration"})
    tenants.check_procedures({"birth-registration", "nope"})


def test_no_folder_no_tenants(tmp_path: Path) -> None:
    assert len(Tenants.load(None)) == 0 and len(Tenants.load(tmp_path / "missing")) == 0


def test_an_app_with_a_bad_tenant_does_not_start(tmp_path: Path) -> None:
    from formengine.app import create_app

    write(tmp_path / "tenants", "hue", 'name = "x"\nprocedures = ["nope"]')
    with pytest.raises(TenantError, match="no definition called 'nope'"):
        create_app({"tenants": tmp_path / "tenants", "secret_key": "x",
                    "database_url": f"sqlite:///{tmp_path / 'e.sqlite3'}"})


def test_the_demo_tenant_is_valid_and_demo_only() -> None:
    from formengine.config import Settings

    tenants = Tenants.load(PROJECT_ROOT / "tenants")
    assert tenants.get("demo-portal") is not None
    assert tenants.by_key("fe_demo-portal-not-a-secret") == tenants.get("demo-portal")
    assert Settings(demo=True).tenants_path == PROJECT_ROOT / "tenants"
    assert Settings(demo=False).tenants_path is None


def test_cli_check_and_key(tmp_path: Path) -> None:
    write(tmp_path, "hue", 'name = "Huế"\norigins = ["https://hue.gov.vn"]\nprocedures = ["*"]')
    result = CliRunner().invoke(main, ["tenants", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "hue: 1 origin(s), every procedure, 0 API key(s), no webhook" in result.output
    result = CliRunner().invoke(main, ["tenants", "key", "hue", "--name", "ci"])
    key = result.output.splitlines()[1].strip()
    assert key.startswith("fe_") and f'sha256 = "{hash_key(key)}"' in result.output
    write(tmp_path, "bad", 'name = "x"\norigins = ["ftp://x"]')
    result = CliRunner().invoke(main, ["tenants", "check", str(tmp_path)])
    assert result.exit_code == 1 and "bad.toml: origins.0" in result.output


def test_client_ids_are_optional_and_not_empty(tmp_path: Path) -> None:
    """The portal's OpenID Connect client ids, whose citizens' ID tokens the API accepts."""
    path = write(tmp_path, "hanoi", 'name = "Hà Nội"\nclient_ids = ["hanoi-portal"]\n')
    assert load_tenant(path).client_ids == ("hanoi-portal",)
    assert load_tenant(write(tmp_path, "hue", 'name = "Huế"\n')).client_ids == ()
    with pytest.raises(TenantError, match=r"client_ids\.0"):
        load_tenant(write(tmp_path, "bad", 'name = "x"\nclient_ids = [""]\n'))
