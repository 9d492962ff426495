"""Load every page of a built documentation site in headless Chromium and check what readers see.

Usage::

    mkdocs build --strict --site-dir /tmp/site
    python scripts/check_site.py /tmp/site

The script builds nothing. It serves the folder on localhost (``http.server`` in a
thread), opens each ``index.html`` in Chromium through Playwright, and asserts per page:

* no console error (a formula KaTeX cannot parse is one, as is a missing script);
* no raw LaTeX in the visible text outside code (``$``-delimited math, ``\\frac``,
  ``\\sum``...): every formula was rendered;
* no markup left as text: a Sphinx role (``:func:`volume```), or reST's double
  backticks inside inline code;
* on the API pages, no stray heading (longer than 120 characters, or starting with
  ``#{`` or ``{``: a docstring line that Markdown read as a heading);

and counts the rendered formulas (``.katex`` elements) and figures (``<img>`` in the
content, and ``<svg>`` images that are not icons). Then it types names that occur only
inside code (``to_pandas``) into the search box and expects results. It prints one row
per page, the totals and the search hits, and exits with status 1 if any check fails.

Needs Playwright for Python (``pip install playwright``) and a Chromium: Debian's
``chromium`` package (``/usr/bin/chromium``, the default) or any binary given with
``--chromium``. ``playwright install`` is not needed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MAX_HEADING_CHARS = 120
# Names that appear only inside code (``r.to_pandas()``): the search box must find them.
SEARCH_TERMS = ("to_pandas", "nps_trend", "read_contacts")

# Runs in the page: what a reader sees in the article, with code and rendered math left out.
_INSPECT = """
() => {
  const article = document.querySelector("article") || document.body;
  const skip = "pre, code, script, style, .katex, .arithmatex .katex, .md-clipboard, kbd";
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const prose = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest(skip) && parent.offsetParent !== null) prose.push(node.textContent);
  }
  const headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(
    (h) => h.textContent.replace(/\\u00b6/g, "").replace(/\\s+/g, " ").trim());
  const icons = "svg.md-icon, .md-icon svg, .twemoji svg, button svg, a.md-content__button svg";
  const svgs = [...article.querySelectorAll("svg")].filter((s) => !s.closest(icons) && !s.closest(".katex"));
  return {
    prose: prose.join(" "),
    headings: headings,
    katex: article.querySelectorAll(".katex").length,
    katexErrors: article.querySelectorAll(".katex-error").length,
    images: article.querySelectorAll("img").length,
    brokenImages: [...article.querySelectorAll("img")].filter((i) => !i.complete || i.naturalWidth === 0)
      .map((i) => i.getAttribute("src")),
    svgs: svgs.length,
    rawMarkup: [...article.querySelectorAll("code")].filter((c) => !c.closest("pre"))
      .map((c) => c.textContent).filter((t) => t.includes("``")),
  };
}
"""

# Raw LaTeX that would show if a formula was not rendered.
_RAW_LATEX = ("$", "\\frac", "\\sum", "\\sqrt", "\\text", "\\mathrm", "\\(", "\\[")


# A numpydoc role left as text (``:func:`volume```) instead of a link.
_RAW_ROLE = re.compile(r":(?:func|class|meth|attr|data|exc|mod|obj):`[^`]*`")


@dataclass
class PageResult:
    path: str
    formulas: int = 0
    figures: int = 0
    problems: list[str] = field(default_factory=list)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free localhost port for the duration of the block; yield its URL."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pages(folder: Path) -> list[str]:
    """Site paths of the pages (``api/tickets/``) of a built site, the home page first."""
    found = []
    for index in sorted(folder.rglob("index.html")):
        relative = index.parent.relative_to(folder).as_posix()
        if relative.startswith(("assets", "search")):
            continue
        found.append("" if relative == "." else f"{relative}/")
    return found


def check_page(page: Any, url: str, path: str) -> PageResult:
    """Load one page and apply every check to it."""
    result = PageResult(path or "/")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/{path}", wait_until="networkidle")
    seen = page.evaluate(_INSPECT)
    result.formulas = seen["katex"]
    result.figures = seen["images"] + seen["svgs"]
    result.problems += [f"console error: {text[:200]}" for text in errors]
    if seen["katexErrors"]:
        result.problems.append(f"{seen['katexErrors']} formulas KaTeX could not render")
    result.problems += [f"broken image: {src}" for src in seen["brokenImages"]]
    result.problems += [f"raw markup in code: {text[:80]}" for text in seen["rawMarkup"]]
    prose = seen["prose"]
    role = _RAW_ROLE.search(prose)
    if role:
        result.problems.append(f"raw Sphinx role in the text: {role.group()}")
    for token in _RAW_LATEX:
        at = prose.find(token)
        if at >= 0:
            result.problems.append(f"raw LaTeX {token!r} in the text: …{prose[max(0, at - 40) : at + 40]}…")
    if path.startswith("api/"):
        for heading in seen["headings"]:
            if len(heading) > MAX_HEADING_CHARS or heading.startswith(("#{", "{")):
                result.problems.append(f"stray heading: {heading[:80]}…")
    return result


def search_hits(page: Any, term: str) -> int:
    """Number of documents the site's search box finds for ``term`` (0 when none).

    The page must show the site; the first search waits for the index to be built.
    """
    meta = ".md-search-result__meta"
    page.evaluate(f"() => {{ const m = document.querySelector('{meta}'); if (m) m.textContent = ''; }}")
    page.fill("input.md-search__input", term)
    page.press("input.md-search__input", "End")  # Material runs the query on key events
    # Material writes "N matching documents" or "No matching documents" once the query ran.
    page.wait_for_function(
        f"() => /matching document/i.test(document.querySelector('{meta}')?.textContent ?? '')",
        timeout=60_000,
    )
    found = re.match(r"\s*(\d+)", page.locator(meta).text_content() or "")
    return int(found.group(1)) if found else 0


def check_site(
    folder: Path, *, chromium: str = CHROMIUM, search_terms: tuple[str, ...] = ()
) -> tuple[list[PageResult], dict[str, int]]:
    """Check every page of the built site in ``folder``; count the search hits of each term."""
    from playwright.sync_api import sync_playwright  # imported here: an optional tool

    results = []
    hits: dict[str, int] = {}
    with serve(folder) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            for path in pages(folder):
                page = browser.new_page()
                try:
                    results.append(check_page(page, url, path))
                finally:
                    page.close()
            if search_terms:
                page = browser.new_page()
                try:
                    page.goto(f"{url}/", wait_until="networkidle")
                    hits = {term: search_hits(page, term) for term in search_terms}
                finally:
                    page.close()
        finally:
            browser.close()
    return results, hits


def table(results: list[PageResult]) -> str:
    """The results as a Markdown table, with a totals row."""
    width = max(len(r.path) for r in results)
    rows = [
        f"| {'page':<{width}} | figures | formulas | problems |",
        f"|{'-' * (width + 2)}|--------:|---------:|---------:|",
    ]
    for r in results:
        rows.append(f"| {r.path:<{width}} | {r.figures:>7} | {r.formulas:>8} | {len(r.problems):>8} |")
    total = f"total: {len(results)} pages"
    rows.append(
        f"| {total:<{width}} | {sum(r.figures for r in results):>7} | "
        f"{sum(r.formulas for r in results):>8} | {sum(len(r.problems) for r in results):>8} |"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("site", type=Path, help="folder of a built site (mkdocs build --site-dir ...)")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"Chromium binary (default {CHROMIUM})")
    parser.add_argument(
        "--search",
        action="append",
        default=None,
        metavar="TERM",
        help=f"a term the search box must find (repeatable; default: {', '.join(SEARCH_TERMS)})",
    )
    parser.add_argument("--no-search", action="store_true", help="do not try the search box")
    arguments = parser.parse_args(argv)
    if not (arguments.site / "index.html").is_file():
        parser.error(f"{arguments.site} has no index.html: build the site first")
    terms = () if arguments.no_search else tuple(arguments.search or SEARCH_TERMS)
    results, hits = check_site(arguments.site, chromium=arguments.chromium, search_terms=terms)
    print(table(results))
    failed = [r for r in results if r.problems]
    for r in failed:
        print(f"\n{r.path}:")
        print("\n".join(f"  - {problem}" for problem in r.problems))
    for term, count in hits.items():
        print(f"search {term!r}: {count} results")
    not_found = [term for term, count in hits.items() if count == 0]
    print(f"\n{len(results) - len(failed)} of {len(results)} pages pass.")
    if not_found:
        print(f"The search finds nothing for {', '.join(map(repr, not_found))}.")
    return 1 if failed or not_found else 0


if __name__ == "__main__":
    raise SystemExit(main())
