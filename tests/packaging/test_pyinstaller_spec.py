"""Fast checks of packaging/latecal.spec without running PyInstaller (the build itself is test_frozen_bundle.py):
keyring's entry-point backends are hidden imports, its metadata ships, the resources are data, the test extra
is excluded."""

from __future__ import annotations

import ast
import importlib.metadata as md
import pkgutil
import re
import tomllib
from pathlib import Path

import keyring.backends

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "latecal.spec"


def _literal(name: str):
    """A top-level `NAME = <literal>` of the spec; the spec keeps these literal for this test."""
    tree = ast.parse(SPEC.read_text(), filename=str(SPEC))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            if name == "DATAS":  # [(str(ROOT / "a" / "b"), "dest")] -> [("a/b", "dest")]
                return [
                    ("/".join(ast.literal_eval(c) for c in _path_parts(elt.elts[0])), ast.literal_eval(elt.elts[1]))
                    for elt in node.value.elts
                ]
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not a top-level assignment in {SPEC.name}")


def _path_parts(node: ast.AST) -> list[ast.AST]:
    node = node.args[0] if isinstance(node, ast.Call) else node  # str(...)
    parts = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts.insert(0, node.right)
        node = node.left
    assert getattr(node, "id", None) == "ROOT"
    return parts


def test_every_keyring_backend_is_a_hidden_import():
    hidden = set(_literal("KEYRING_BACKENDS"))
    from_entry_points = {ep.module for ep in md.entry_points(group="keyring.backends")}
    in_package = {m.name for m in pkgutil.walk_packages(keyring.backends.__path__, "keyring.backends.")}
    assert from_entry_points <= hidden, sorted(from_entry_points - hidden)
    assert in_package <= hidden, sorted(in_package - hidden)


def test_keyring_metadata_ships():
    """Without keyring's dist-info, entry_points(group="keyring.backends") is empty when frozen (keyring#591)."""
    assert "keyring" in _literal("METADATA")
    assert re.search(r"for dist in METADATA:\s+datas \+= copy_metadata\(dist\)", SPEC.read_text())


def test_resources_ship_as_the_package_data():
    assert ("resources", "latecal/resources") in _literal("DATAS")
    assert "datas = list(DATAS)" in SPEC.read_text()


def test_nothing_from_the_test_extra_is_bundled():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    wanted = {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in extras["test"]}
    top_levels = {}  # distribution -> the import names it provides
    for module, dists in md.packages_distributions().items():
        for dist in dists:
            top_levels.setdefault(dist.lower().replace("_", "-"), set()).add(module)
    modules = {m for dist in wanted for m in top_levels.get(dist, ()) if not m.startswith("_") or m == "_pytest"}
    assert {"pytest", "_pytest", "pytestqt", "hypothesis"} <= modules  # the lookup itself works
    excludes = set(_literal("EXCLUDES"))
    assert modules <= excludes, f"test-extra modules not excluded from the bundle: {sorted(modules - excludes)}"


def test_entry_script_runs_the_console_main():
    entry = (ROOT / "packaging" / "latecal_main.py").read_text()
    assert "from latecal.__main__ import main" in entry
    assert "packaging\" / \"latecal_main.py\"" in SPEC.read_text()
