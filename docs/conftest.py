"""pytest rules for the examples of the documentation pages (the same as the site build's, in hooks.py).

* A page whose examples need optional libraries names them in a comment,
  ``<!-- doctest-requires: pandas matplotlib -->``; its examples are skipped, with the
  missing names as the reason, when one of them is not installed.
* The examples of a page run in a fresh temporary working directory, so the files a
  how-to guide writes (a CSV, a standards file) never land in the repository.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def _load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cskpi_docs_hooks", Path(__file__).with_name("hooks.py"))
    if spec is None or spec.loader is None:  # pragma: no cover - the file is next to this one
        raise ImportError(f"cannot load {Path(__file__).with_name('hooks.py')}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_hooks = _load_hooks()


def _is_page(item: pytest.Item) -> bool:
    return Path(str(item.path)).suffix == ".md"


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _is_page(item):
        missing = _hooks.missing_modules(Path(str(item.path)).read_text(encoding="utf-8"))
        if missing:
            pytest.skip(f"examples need {', '.join(missing)} (not installed)")


@pytest.fixture(autouse=True)
def _page_in_temporary_directory(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if _is_page(request.node):
        request.getfixturevalue("monkeypatch").chdir(tmp_path)
