"""Checks of the documentation build's hooks (docs/hooks.py), which need only the standard library."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

HOOKS_PATH = Path(__file__).resolve().parent.parent / "docs" / "hooks.py"


@pytest.fixture(scope="module")
def hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cskpi_docs_hooks_under_test", HOOKS_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_docstring_line_read_as_a_heading_is_reported(hooks: ModuleType) -> None:
    # The shape Markdown gives a wrapped formula line "#{resolved < s_p}`` (...)": a heading
    # holding the rest of the text.
    page = (
        '<h2 id="cskpi.ticket_flow">ticket_flow</h2>\n'
        '<h1 id="x">{resolved &lt; s_p}`` (the convention of open_cases). Then</h1>\n'
        f'<h3 id="y">{"backlog " * 20}<a class="headerlink" href="#y">&para;</a></h3>'
    )
    found = hooks.stray_headings(page)
    assert found[0].startswith("{resolved < s_p}")
    assert len(found) == 2
    assert len(found[1]) > hooks.MAX_HEADING_CHARS


def test_titles_are_not_stray_headings(hooks: ModuleType) -> None:
    page = (
        '<h1 id="t">Tickets and workload<a class="headerlink" href="#t">&para;</a></h1>'
        '<h3 id="cskpi.volume" class="doc doc-heading"><code>volume</code></h3>'
        '<h2 id="functions">Functions</h2>'
    )
    assert hooks.stray_headings(page) == []


class _Page:
    def __init__(self, path: Path, src_uri: str) -> None:
        self.abs_src_path = str(path)
        self.src_uri = src_uri


class _Files:
    def __init__(self, *pages: _Page) -> None:
        self.pages = list(pages)

    def documentation_pages(self) -> list[_Page]:
        return self.pages

    def append(self, file: object) -> None:  # pragma: no cover - no images here
        raise AssertionError("no image expected")


def test_examples_that_cannot_run_fail_the_strict_build(
    hooks: ModuleType, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("mkdocs")
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- doctest-requires: cskpi_no_such_module -->\n\n```python\n>>> 1 + 1\n2\n\n```\n",
        encoding="utf-8",
    )
    with caplog.at_level("INFO", logger="mkdocs.hooks.cskpi"):
        hooks.on_files(_Files(_Page(page, "page.md")), config=None)
    about_page = [record for record in caplog.records if record.getMessage().startswith("page.md")]
    assert [record.levelname for record in about_page] == ["WARNING"]
    assert "cskpi_no_such_module not installed" in about_page[0].getMessage()
