"""MkDocs hooks of the cskpi documentation site (registered in ``mkdocs.yml`` under ``hooks:``).

1. **Executed examples.** Before any page is rendered, every page's ``>>>`` examples
   are run with the standard library's :mod:`doctest`, with the doctest option flags
   and the warnings rule of ``[tool.pytest.ini_options]`` in ``pyproject.toml`` (the
   same examples pytest runs through ``--doctest-glob=*.md``), in a fresh temporary
   working directory. An example whose output differs is reported as a warning, so
   ``mkdocs build --strict`` fails and no number on the site is pasted by hand. Images
   the examples save in their working directory (``fig.savefig("trend.png")``) are
   published next to the page, so a page can show the plot its code drew
   (``![NPS trend](trend.png)``). A page whose examples need optional libraries says so
   in an HTML comment, ``<!-- doctest-requires: pandas matplotlib -->``; when one is not
   installed its examples cannot run, and the build reports a warning (so the strict
   build fails: a published site has every example run and every figure drawn).
   Under pytest, ``docs/conftest.py`` skips such a page instead, so the test suite
   runs with the core dependencies alone.
2. **API pages.** A line ``<!-- api: _kpi.survey _kpi.scorecard -->`` on a page under
   ``docs/api/`` expands into one mkdocstrings block (``::: cskpi.name``) per public
   name that ``src/cskpi/__init__.py`` imports from those private modules, in the order
   of the module's source: functions, then result classes, then constants. A public
   name that no API page covers is reported as a warning, so a new function cannot be
   left out of the reference.
3. **Display.** Fenced ``python`` blocks that start with ``>>>`` are highlighted as
   interactive sessions (``pycon``), so output is not coloured as code.
4. **Sphinx roles in docstrings.** The docstrings use numpydoc's Sphinx roles
   (``:func:`volume```, ``:class:`~cskpi.Grouped```). MkDocs would print them
   literally; they become cross-references to the API pages, or plain code where the
   target is not a public object.
5. **Stray headings.** A rendered heading longer than a title, or starting with ``{``
   (a docstring line such as ``#{resolved < s}`` read as Markdown), is reported as a
   warning.

Only the standard library is imported at module level: pytest imports this file while
collecting doctests (``--doctest-modules`` over ``docs/``) in environments without
MkDocs.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import html
import importlib.util
import io
import logging
import os
import posixpath
import re
import sys
import tempfile
import tomllib
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.cskpi")

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "cskpi"

# ---------------------------------------------------------------------------------------------
# 1. executed examples
# ---------------------------------------------------------------------------------------------

_REQUIRES = re.compile(r"<!--\s*doctest-requires:\s*(?P<names>[\w.,\s]+?)\s*-->")
NUMBER = doctest.register_optionflag("NUMBER")  # the same flag pytest registers
# A float literal of the expected output: digits with a decimal point, or an exponent.
_FLOAT = re.compile(r"(?<![\w.])[+-]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][+-]?\d+)?(?![\w.])")


def required_modules(text: str) -> list[str]:
    """Module names listed in the page's ``<!-- doctest-requires: ... -->`` comments."""
    names = (re.split(r"[\s,]+", match["names"]) for match in _REQUIRES.finditer(text))
    return [name for group in names for name in group if name]


def missing_modules(text: str) -> list[str]:
    """The required modules of a page that cannot be imported here."""
    return [name for name in required_modules(text) if importlib.util.find_spec(name) is None]


class NumberChecker(doctest.OutputChecker):
    """Output checker with pytest's ``NUMBER`` option: floats match to the precision written.

    With ``NUMBER``, an expected ``0.1463`` accepts any output within 0.0001 of it (the
    tolerance is one unit of the last digit written), as pytest's doctest checker does.
    """

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        if super().check_output(want, got, optionflags):
            return True
        if not optionflags & NUMBER:
            return False
        return super().check_output(want, self._with_written_precision(want, got), optionflags)

    @staticmethod
    def _with_written_precision(want: str, got: str) -> str:
        wanted = list(_FLOAT.finditer(want))
        found = list(_FLOAT.finditer(got))
        if len(wanted) != len(found):
            return got
        pieces, end = [], 0
        for w, g in zip(wanted, found, strict=True):
            mantissa, _, exponent = w.group().lower().partition("e")
            decimals = len(mantissa.partition(".")[2]) - int(exponent or 0)
            if abs(float(w.group()) - float(g.group())) <= 10.0**-decimals:
                pieces += [got[end : g.start()], w.group()]
                end = g.end()
        return "".join([*pieces, got[end:]])


@cache
def pytest_settings() -> tuple[int, bool]:
    """Doctest option flags and whether warnings are errors, from ``pyproject.toml``."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        ini = tomllib.load(file).get("tool", {}).get("pytest", {}).get("ini_options", {})
    flags = 0
    for name in ini.get("doctest_optionflags", ["ELLIPSIS"]):
        flags |= doctest.OPTIONFLAGS_BY_NAME[name]
    return flags, "error" in ini.get("filterwarnings", [])


@contextlib.contextmanager
def _isolated() -> Iterator[Path]:
    """A fresh temporary working directory and pytest's warnings rule, restored afterwards."""
    _, warnings_are_errors = pytest_settings()
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="cskpi-docs-") as directory, warnings.catch_warnings():
        if warnings_are_errors:
            warnings.simplefilter("error")
        os.chdir(directory)
        try:
            yield Path(directory)
        finally:
            os.chdir(previous)


def run_examples(text: str, name: str, filename: str) -> tuple[int, int, str, dict[str, bytes]]:
    """Run the ``>>>`` examples of a markdown text.

    Returns the number of failed and attempted examples, the failure report, and the
    images (``*.png``, ``*.svg``) the examples saved in their working directory, by name.
    """
    test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, name, filename, 0)
    if not test.examples:
        return 0, 0, "", {}
    flags, _ = pytest_settings()
    runner = doctest.DocTestRunner(checker=NumberChecker(), optionflags=flags)
    report = io.StringIO()
    with _isolated() as directory:
        result = runner.run(test, out=report.write, clear_globs=True)
        images = {
            path.name: path.read_bytes() for path in sorted(directory.glob("*")) if path.suffix in _IMAGES
        }
    _close_figures()
    return result.failed, result.attempted, report.getvalue(), images


_IMAGES = (".png", ".svg")


def _close_figures() -> None:
    """Close the matplotlib figures a page opened (they would pile up over the build)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def on_files(files: Any, *, config: Any) -> Any:
    """Run every page's examples; add the images they saved next to the page; check the API pages."""
    from mkdocs.structure.files import File  # imported here: pytest imports this file without MkDocs

    for page in list(files.documentation_pages()):
        source = Path(page.abs_src_path).read_text(encoding="utf-8")
        if ">>>" not in source:
            continue
        missing = missing_modules(source)
        if missing:
            # A warning, so the strict build fails: a site must not be published with
            # examples (and the figures they draw) silently left out.
            log.warning(
                "%s: examples not run, %s not installed (install the docs extra: pip install -e '.[docs]')",
                page.src_uri,
                ", ".join(missing),
            )
            _NOT_RUN[page.src_uri] = missing
            continue
        failed, attempted, report, images = run_examples(source, page.src_uri, page.abs_src_path)
        if failed:
            log.warning("%s: %d of %d examples failed\n%s", page.src_uri, failed, attempted, report)
        elif attempted:
            log.info("%s: %d examples passed", page.src_uri, attempted)
        for name, content in images.items():
            files.append(
                File.generated(config, posixpath.join(posixpath.dirname(page.src_uri), name), content=content)
            )
    _check_api_coverage(files)
    return files


_SESSION_BLOCK = re.compile(r"^(?P<fence>```+)python[ \t]*\n(?=>>> )", re.MULTILINE)
# An image of the page's own directory, such as one its examples save: ![alt](name.png).
_LOCAL_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<name>[\w.-]+\.(?:png|svg))\)")
# Pages whose examples were not run -> the modules that were missing.
_NOT_RUN: dict[str, list[str]] = {}


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    # Interactive sessions are highlighted as such (prompts and output apart from code).
    markdown = _SESSION_BLOCK.sub(lambda match: f"{match['fence']}pycon\n", markdown)
    missing = _NOT_RUN.get(page.file.src_uri)
    if missing:
        # The examples did not run, so the images they save do not exist: say so instead.
        note = f"*(Figure not drawn: this site was built without {', '.join(missing)}.)*"
        markdown = _LOCAL_IMAGE.sub(lambda match: f"{note} <!-- {match['alt']} -->", markdown)
    return _expand_api(markdown, page.file.src_uri)


# ---------------------------------------------------------------------------------------------
# 2. API pages
# ---------------------------------------------------------------------------------------------

_API = re.compile(r"^<!--\s*api:\s*(?P<modules>[\w.\s]+?)\s*-->[ \t]*$", re.MULTILINE)
_API_MODULE = re.compile(r"^<!--\s*api-module:\s*(?P<module>[\w.]+)\s*-->[ \t]*$", re.MULTILINE)
_NOT_DOCUMENTED = {"__version__"}
_SECTIONS = {"function": "Functions", "class": "Result classes and types", "constant": "Constants"}


def _exported(path: Path) -> tuple[dict[str, str], list[str]]:
    """A module's relative imports (name -> private module) and its ``__all__``."""
    origin: dict[str, str] = {}
    exported: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            origin.update({alias.asname or alias.name: node.module for alias in node.names})
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            exported = list(ast.literal_eval(node.value))
    return origin, exported


@cache
def public_names() -> dict[str, str]:
    """Public name -> module it is imported from (``nps`` -> ``_kpi.survey``), in ``__all__`` order."""
    origin, exported = _exported(PACKAGE / "__init__.py")
    return {name: origin.get(name, "") for name in exported if name not in _NOT_DOCUMENTED}


@cache
def submodule_names(module: str) -> tuple[str, ...]:
    """The ``__all__`` of a public submodule such as ``cskpi.dask`` (empty if it does not exist)."""
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    return tuple(_exported(path)[1]) if path.exists() else ()


@cache
def definitions(module: str) -> dict[str, tuple[int, str]]:
    """Top-level name -> (line, kind) in the source of a module of the package (``_survey``, ``dask``)."""
    path = PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
    if not path.exists():
        return {}
    found: dict[str, tuple[int, str]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = (node.lineno, "function")
        elif isinstance(node, ast.ClassDef):
            found[node.name] = (node.lineno, "class")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, (node.lineno, "constant"))
    return found


def api_blocks(modules: list[str]) -> str:
    """The mkdocstrings blocks of the public names defined in ``modules``, in sections."""
    entries: dict[str, list[tuple[int, int, str]]] = {kind: [] for kind in _SECTIONS}
    for name, module in public_names().items():
        if module in modules:
            line, kind = definitions(module).get(name, (0, "constant"))
            entries[kind].append((modules.index(module), line, name))
    lines: list[str] = []
    for kind, title in _SECTIONS.items():
        if entries[kind]:
            lines += [f"## {title}", ""]
            for _, _, name in sorted(entries[kind]):
                lines += [f"::: cskpi.{name}", "    options:", "      heading_level: 3", ""]
    return "\n".join(lines)


def module_block(module: str) -> str:
    """The mkdocstrings block of a public submodule: its docstring, then its ``__all__`` in source order."""
    lines = definitions(module.removeprefix("cskpi."))
    members = sorted(submodule_names(module), key=lambda name: lines.get(name, (0, ""))[0])
    return "\n".join(
        [
            f"::: {module}",
            "    options:",
            "      show_root_heading: false",
            "      show_root_toc_entry: false",
            "      heading_level: 2",
            f"      members: {members}",
            "",
        ]
    )


# Page -> public submodule whose names its Sphinx roles may name without the module.
_ROLE_CONTEXT: dict[str, str] = {}
# Public submodules that have an API page (``cskpi.dask``, ``cskpi.plot``).
_SUBMODULE_PAGES: set[str] = set()


def _expand_api(markdown: str, src_uri: str) -> str:
    if not src_uri.startswith("api/"):
        return markdown
    for match in _API_MODULE.finditer(markdown):
        _ROLE_CONTEXT[src_uri] = match["module"]
    markdown = _API_MODULE.sub(lambda match: module_block(match["module"]), markdown)
    return _API.sub(lambda match: api_blocks(match["modules"].split()), markdown)


def _check_api_coverage(files: Any) -> None:
    """Warn about public names that no API page covers (so ``--strict`` fails)."""
    covered: set[str] = set()
    for file in files.documentation_pages():
        if file.src_uri.startswith("api/"):
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            for match in _API.finditer(text):
                covered.update(match["modules"].split())
            _SUBMODULE_PAGES.update(match["module"] for match in _API_MODULE.finditer(text))
    left_out: dict[str, list[str]] = {}
    for name, module in public_names().items():
        if module not in covered:
            left_out.setdefault(module or "?", []).append(name)
    for module, names in left_out.items():
        log.warning(
            "cskpi.%s (from %s) is on no API page: add %s to an '<!-- api: ... -->' line in docs/api/",
            ", cskpi.".join(names),
            module,
            module,
        )


# ---------------------------------------------------------------------------------------------
# 3. Sphinx roles of the docstrings
# ---------------------------------------------------------------------------------------------

_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|data|exc|obj|mod):<code>(?P<tilde>~?)(?P<target>[\w.]+)</code>"
)


def _reference(target: str, context: str | None) -> str | None:
    """The full identifier a role names, or None when it names no public cskpi object."""
    head = target.split(".", 1)[0]
    if target.startswith("cskpi."):
        return target
    if context and head in submodule_names(context):
        return f"{context}.{target}"
    if head in public_names():
        return f"cskpi.{target}"
    return None


def _role_to_reference(match: re.Match[str], context: str | None) -> str:
    target = match["target"]
    shown = html.escape(target.rsplit(".", 1)[-1] if match["tilde"] else target)
    identifier = _reference(target, context)
    documented = {f"cskpi.{name}" for name in public_names()}
    for module in _SUBMODULE_PAGES:
        documented |= {f"{module}.{name}" for name in submodule_names(module)}
    if identifier in documented:
        # A public object is on an API page: the reference must resolve (strict mode fails otherwise).
        return f'<autoref identifier="{identifier}"><code>{shown}</code></autoref>'
    if identifier and any(identifier.startswith(f"{name}.") for name in documented):
        # A member of one (a method, an attribute) links when it is rendered, and stays code otherwise.
        return f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'
    return f"<code>{shown}</code>"


def on_page_content(html_text: str, *, page: Any, config: Any, files: Any) -> str:
    context = _ROLE_CONTEXT.get(page.file.src_uri)
    for heading in stray_headings(html_text):
        log.warning("%s: stray heading (a docstring line as Markdown?): %.80s", page.file.src_uri, heading)
    return _ROLE.sub(lambda match: _role_to_reference(match, context), html_text)


_HEADING = re.compile(r"<h(?P<level>[1-6])\b[^>]*>(?P<body>.*?)</h(?P=level)>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# Longer than any title or object name: a paragraph swallowed by a heading.
MAX_HEADING_CHARS = 120


def stray_headings(html_text: str) -> list[str]:
    """Headings of a rendered page that are not titles: too long, or starting with ``#{``.

    A docstring line that starts with ``#`` (a wrapped formula such as ``#{resolved < s}``)
    becomes a heading, and with it a table-of-contents entry holding the rest of the page.
    """
    found = []
    for match in _HEADING.finditer(html_text):
        text = " ".join(html.unescape(_TAG.sub(" ", match["body"])).split()).removesuffix("¶").strip()
        if len(text) > MAX_HEADING_CHARS or text.startswith(("#{", "{")):
            found.append(text)
    return found
