"""The package imports nothing but the standard library (and itself): launchers run in locked-down images."""

from __future__ import annotations

import ast
import os
import sys

import pytest

PACKAGE = os.path.join(os.path.dirname(__file__), "..", "argus")


@pytest.mark.skipif(sys.version_info < (3, 10), reason="sys.stdlib_module_names is Python 3.10+")
def test_the_package_imports_only_the_standard_library() -> None:
    stdlib = set(sys.stdlib_module_names)
    found = {}
    files = [name for name in os.listdir(PACKAGE) if name.endswith(".py")]
    assert len(files) > 10
    for name in files:
        with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
            tree = ast.parse(f.read(), name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                found.setdefault(module.split(".")[0], set()).add(name)
    outside = {top: sorted(where) for top, where in found.items() if top not in stdlib and top != "argus"}
    assert outside == {}, "imports outside the standard library: %s" % outside
    assert "__future__" in found and "http" in found


def test_the_package_is_typed() -> None:
    assert os.path.isfile(os.path.join(PACKAGE, "py.typed"))
