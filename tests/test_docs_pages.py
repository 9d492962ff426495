"""Tests of docs/figures.py: the figures of the documentation pages and their shell sessions.

The site build runs the same functions (a difference fails ``mkdocs build --strict``);
here they run under pytest too, skipped without the libraries the pages use.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
DEFINITIONS = [
    "survey.md",
    "operations.md",
    "response-times.md",
    "tickets.md",
    "retention.md",
    "queueing.md",
    "standards-and-reports.md",
    "statistics.md",
]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cskpi_docs_figures", DOCS / "figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


figures = _load()
PAGES = sorted(path for path in DOCS.rglob("*.md"))
FIGURE_PAGES = [path for path in PAGES if figures.figure_blocks(path.read_text(encoding="utf-8"))]
SESSION_PAGES = [path for path in PAGES if figures.session_commands(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name", DEFINITIONS)
def test_every_definitions_page_draws_a_figure_it_shows(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    drawn = [block.name for block in figures.figure_blocks(text)]
    assert drawn, f"{name} has no figure block"
    shown = re.findall(r"!\[[^\]]+\]\(([\w.-]+\.svg)\)", text)
    assert set(drawn) <= set(shown), f"{name} draws {drawn} but shows {shown}"


def test_gallery_shows_every_plot_function() -> None:
    pytest.importorskip("matplotlib")
    import cskpi.plot

    text = (DOCS / "gallery.md").read_text(encoding="utf-8")
    code = "\n".join(block.code for block in figures.figure_blocks(text))
    for name in cskpi.plot.__all__:
        assert f"cskpi.plot.{name}(" in code, f"the gallery does not draw cskpi.plot.{name}"


def test_figure_names_are_unique_per_folder() -> None:
    seen: dict[tuple[Path, str], Path] = {}
    for page in FIGURE_PAGES:
        for block in figures.figure_blocks(page.read_text(encoding="utf-8")):
            key = (page.parent, block.name)
            assert key not in seen, f"{block.name} is drawn by {seen.get(key)} and {page}"
            seen[key] = page


@pytest.mark.parametrize("page", FIGURE_PAGES, ids=lambda path: str(path.relative_to(DOCS)))
def test_the_figures_of_a_page_are_drawn(page: Path) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    text = page.read_text(encoding="utf-8")
    images, errors = figures.draw_figures(text, page.name)
    assert errors == []
    assert sorted(images) == sorted(block.name for block in figures.figure_blocks(text))
    for content in images.values():
        assert content.startswith(b"<?xml") and b"<svg" in content and len(content) > 5_000


FAKE_PAGE = """
Text.

??? example "code"

    <!-- figure: one.svg -->
    ```python
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [2, 1, 3])
    ax.set_title("three points")
    ```

<!-- figure: two.svg -->
```python
fig, axes = plt.subplots(1, 2)
```

<!-- figure: none.svg -->
```python
x = 1
```

<!-- figure: broken.svg -->
```python
1 / 0
```
"""


def test_figure_blocks_run_in_order_in_one_namespace_and_report_errors() -> None:
    pytest.importorskip("matplotlib")
    blocks = figures.figure_blocks(FAKE_PAGE)
    assert [(block.name, block.line) for block in blocks] == [
        ("one.svg", 6),
        ("two.svg", 14),
        ("none.svg", 19),
        ("broken.svg", 24),
    ]
    assert blocks[0].code.startswith("import matplotlib.pyplot as plt\n")  # dedented
    images, errors = figures.draw_figures(FAKE_PAGE, "fake.md")
    # The second block uses the first block's import; a figure with two axes is one figure.
    assert sorted(images) == ["one.svg", "two.svg"]
    assert errors == [
        "fake.md:19: none.svg: the block must leave one figure open; it left 0",
        "fake.md:24: broken.svg: ZeroDivisionError: division by zero",
    ]


def test_figures_are_reproducible_svg_without_a_date() -> None:
    pytest.importorskip("matplotlib")
    first, _ = figures.draw_figures(FAKE_PAGE, "fake.md")
    second, _ = figures.draw_figures(FAKE_PAGE, "fake.md")
    assert first == second
    svg = first["one.svg"].decode()
    assert "<dc:date>" not in svg
    assert "three points" in svg  # text kept as text


def test_the_figure_markers_are_removed_from_the_page() -> None:
    html = figures.on_page_markdown(FAKE_PAGE, page=None, config=None, files=None)
    assert "<!-- figure" not in html and "```python" in html


SESSION = """
```toml title="settings.toml"
a = 1
```

```console
$ echo $?
0
$ cskpi report missing.csv    # a comment
cskpi: ...missing.csv...
$ echo $?
2
$ ls
```
"""


def test_session_commands_and_files_are_read_from_the_page() -> None:
    commands = figures.session_commands(SESSION)
    assert [(c.command, c.expected, c.line) for c in commands] == [
        ("echo $?", "0", 7),
        ("cskpi report missing.csv    # a comment", "cskpi: ...missing.csv...", 9),
        ("echo $?", "2", 11),
        ("ls", "", 13),
    ]
    assert figures.session_files(SESSION) == {"settings.toml": "a = 1\n"}


def test_a_session_whose_output_differs_is_reported() -> None:
    pytest.importorskip("pyarrow")
    errors = figures.run_session(SESSION.replace("\n2\n", "\n0\n"), "fake.md")
    assert len(errors) == 2
    assert errors[0].startswith("fake.md:11: $ echo $?\n--- shown\n+++ output") and "+2" in errors[0]
    assert errors[1] == "fake.md:13: only 'cskpi ...' and 'echo $?' can be run; got 'ls'"


@pytest.mark.parametrize("page", SESSION_PAGES, ids=lambda path: str(path.relative_to(DOCS)))
def test_shell_sessions_show_the_real_output(page: Path) -> None:
    pytest.importorskip("pyarrow")
    assert figures.run_session(page.read_text(encoding="utf-8"), page.name) == []


def _extra(name: str, extras: dict[str, list[str]]) -> set[str]:
    """The distributions an extra installs, self-references (``cskpi[cli,plot]``) expanded."""
    found: set[str] = set()
    for requirement in extras[name]:
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[([^\]]+)\])?", requirement)
        assert match is not None, requirement
        if match[1] == "cskpi":
            for inner in match[2].split(","):
                found |= _extra(inner.strip(), extras)
        else:
            found.add(match[1].lower())
    return found


def test_the_docs_extra_installs_every_library_the_pages_need() -> None:
    import tomllib

    with open(DOCS.parent / "pyproject.toml", "rb") as file:
        extras = tomllib.load(file)["project"]["optional-dependencies"]
    installed = _extra("docs", extras)
    hooks = importlib.util.spec_from_file_location("cskpi_docs_hooks_for_extra", DOCS / "hooks.py")
    assert hooks is not None and hooks.loader is not None
    module = importlib.util.module_from_spec(hooks)
    hooks.loader.exec_module(module)
    needed = {"matplotlib", "pandas"}  # the figures' code reads the example data with pandas
    for page in PAGES:
        needed |= {name.split(".")[0] for name in module.required_modules(page.read_text(encoding="utf-8"))}
    assert needed  # the pages do declare what they need
    missing = {name for name in needed if name not in installed}
    assert not missing, f"the docs extra does not install {sorted(missing)}"
    assert {"mkdocs", "mkdocs-material", "mkdocstrings"} <= installed
