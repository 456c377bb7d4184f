"""The package's metadata: what setuptools reads installs quietly."""

import tomllib

from tests.conftest import REPO


def test_the_license_is_an_spdx_expression():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"             # a table here is deprecated and warned about
    assert any(r.replace(" ", "").startswith("setuptools>=77") for r in project["build-system"]["requires"])
