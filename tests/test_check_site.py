"""The headless-browser check of the documentation site (scripts/check_site.py).

Runs only where Playwright for Python and a Chromium binary are installed (not in CI's
core-only environment). The first tests serve small hand-written pages, each with one
known defect, and check that the script reports it; the last builds the real site with
MkDocs (or takes the folder named by ``CSKPI_SITE_DIR``) and requires every page to pass.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():  # pragma: no cover - depends on the machine
    pytest.skip("no Chromium binary", allow_module_level=True)


@pytest.fixture(scope="module")
def check_site() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_site", ROOT / "scripts" / "check_site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_site"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _page(body: str, *, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose pages each show one defect, next to a correct one, with the site's KaTeX."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "docs" / "assets", site / "assets")
    katex = (
        '<link rel="stylesheet" href="/assets/katex/katex.min.css">'
        '<script src="/assets/katex/katex.min.js"></script>'
        '<script src="/assets/katex/contrib/auto-render.min.js"></script>'
        '<script src="/assets/katex-init.js"></script>'
    )
    pages = {
        "": _page("<h1>Home</h1><p>Text and <code>$HOME</code> in code.</p>"),
        "good": _page(
            '<h1>Formulas</h1><p>Inline <span class="arithmatex">\\(\\frac{a}{b}\\)</span>.</p>'
            '<div class="arithmatex">\\[\\sum_{k=0}^{N} A^k / k!\\]</div>'
            '<svg width="20" height="10"><rect width="20" height="10"/></svg>',
            head=katex,
        ),
        "raw": _page("<h1>Raw</h1><p>The rate is $L / S$ per period.</p>"),
        "bad-formula": _page(
            '<h1>Bad</h1><p><span class="arithmatex">\\(\\frac{a}\\)</span></p>', head=katex
        ),
        "console": _page("<h1>Console</h1><script>console.error('boom')</script>"),
        "broken-image": _page('<h1>Image</h1><img src="/assets/none.png" alt="">'),
        "roles": _page("<h1>Roles</h1><p>See :func:`open_cases` and <code>``invalid='mask'``</code>.</p>"),
        "api/broken": _page(f"<h1>API</h1><h2>{{resolved &lt; s_p}} {'backlog ' * 20}</h2>"),
    }
    for path, html in pages.items():
        folder = site / path
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(html, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def small_results(check_site: ModuleType, small_site: Path) -> dict[str, object]:
    results, hits = check_site.check_site(small_site, chromium=CHROMIUM)
    assert hits == {}
    return {result.path: result for result in results}


def test_a_correct_page_passes_and_its_formulas_are_counted(small_results: dict[str, object]) -> None:
    home, good = small_results["/"], small_results["good/"]
    assert home.problems == []  # type: ignore[attr-defined]
    assert good.problems == []  # type: ignore[attr-defined]
    assert good.formulas == 2  # type: ignore[attr-defined]
    assert good.figures == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("raw/", "raw LaTeX '$'"),
        ("bad-formula/", "1 formulas KaTeX could not render"),
        ("console/", "console error: boom"),
        ("api/broken/", "stray heading: {resolved < s_p}"),
        ("broken-image/", "broken image: /assets/none.png"),
        ("roles/", "raw Sphinx role in the text: :func:`open_cases`"),
        ("roles/", "raw markup in code: ``invalid='mask'``"),
    ],
)
def test_each_defect_is_reported(small_results: dict[str, object], path: str, expected: str) -> None:
    problems = small_results[path].problems  # type: ignore[attr-defined]
    assert any(problem.startswith(expected) for problem in problems), problems


def test_the_command_fails_on_a_defect_and_prints_the_table(
    check_site: ModuleType, small_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_site.main([str(small_site), "--chromium", CHROMIUM, "--no-search"]) == 1
    out = capsys.readouterr().out
    assert "| page" in out and "total: 8 pages" in out


def test_every_page_of_the_built_site_passes(
    check_site: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real site: rendered formulas, no raw LaTeX, no console error, search finds names in code."""
    site = os.environ.get("CSKPI_SITE_DIR")
    if site is None:
        pytest.importorskip("mkdocs")
        pytest.importorskip("mkdocstrings")
        site = str(tmp_path / "site")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1"}
        build = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", site],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert build.returncode == 0, build.stderr[-3000:]
    assert check_site.main([site, "--chromium", CHROMIUM]) == 0, capsys.readouterr().out[-3000:]
    out = capsys.readouterr().out
    total = next(line for line in out.splitlines() if "total:" in line)
    formulas = int(total.split("|")[3])
    assert formulas > 300, total
