"""MkDocs hook: figures drawn and shell sessions run when the site is built (``hooks:`` in ``mkdocs.yml``).

1. **Figures.** A fenced ``python`` block right after a comment
   ``<!-- figure: name.svg -->`` (at the same indentation, so the block may sit in a
   collapsed ``??? example`` box) is executed when the site is built, and the one
   matplotlib figure it leaves open is published next to the page as ``name.svg``;
   the page shows it with ``![what it shows](name.svg)``. The code on the page is the
   code that drew the picture. The blocks of a page run in order in one namespace, in
   a fresh temporary working directory, with warnings as errors (pytest's rule). The
   SVG files are reproducible: a fixed ``svg.hashsalt``, no date in the metadata, text
   kept as text. A block that raises, or leaves no figure or several, is reported as
   a warning, so ``mkdocs build --strict`` fails: a figure is never silently missing.
2. **Shell sessions.** A ``console`` block is a shell session: each ``$ cskpi ...``
   line is run as ``python -m cskpi ...`` with this repository's package, and its
   output (standard output and error, in order) must be the lines shown under it
   (``...`` in the shown output matches anything, as in doctest); ``$ echo $?`` shows
   the exit status of the previous command. The commands of a page run in order in
   one fresh temporary directory, where the page's fenced blocks titled with a file
   name (```` ```toml title="standards.toml" ````) are written first. A difference is
   reported as a warning (the strict build fails), so the output on the page is the
   program's.

Only the standard library is imported at module level: pytest imports this file while
collecting doctests (``--doctest-modules`` over ``docs/``), and ``tests/test_docs_pages.py``
uses its functions.
"""

from __future__ import annotations

import contextlib
import difflib
import doctest
import io
import logging
import os
import posixpath
import re
import shlex
import subprocess
import sys
import tempfile
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

log = logging.getLogger("mkdocs.hooks.cskpi.figures")

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"

# ---------------------------------------------------------------------------------------------
# 1. figures
# ---------------------------------------------------------------------------------------------

_FIGURE = re.compile(
    r"^(?P<indent>[ \t]*)<!--\s*figure:\s*(?P<name>[\w.-]+\.svg)\s*-->[ \t]*\n"
    r"(?P=indent)(?P<fence>```+)python[^\n]*\n(?P<code>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_FIGURE_COMMENT = re.compile(r"^[ \t]*<!--\s*figure:\s*[\w.-]+\.svg\s*-->[ \t]*\n", re.MULTILINE)
# Reproducible SVG: ids from a fixed salt, text as text (small files, selectable, searchable).
SVG_SETTINGS = {"svg.hashsalt": "cskpi-docs", "svg.fonttype": "none", "figure.dpi": 100.0}


class Figure(NamedTuple):
    """A figure block of a page: the file it draws, its code, and its line in the page."""

    name: str
    code: str
    line: int


def figure_blocks(text: str) -> list[Figure]:
    """The figure blocks of a markdown text, in page order."""
    return [
        Figure(match["name"], textwrap.dedent(match["code"]), text.count("\n", 0, match.start()) + 1)
        for match in _FIGURE.finditer(text)
    ]


@contextlib.contextmanager
def _working_directory() -> Iterator[Path]:
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="cskpi-docs-") as directory:
        os.chdir(directory)
        try:
            yield Path(directory)
        finally:
            os.chdir(previous)


def draw_figures(text: str, page: str) -> tuple[dict[str, bytes], list[str]]:
    """Run the figure blocks of a page; return the SVG files by name, and the errors.

    Needs matplotlib (imported here, with the non-interactive Agg backend).
    """
    try:
        import matplotlib
    except ImportError:
        missing = "not drawn: matplotlib is not installed"
        return {}, [f"{page}:{block.line}: {block.name} {missing}" for block in figure_blocks(text)]
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images: dict[str, bytes] = {}
    errors: list[str] = []
    namespace: dict[str, Any] = {"__name__": "__main__"}
    plt.close("all")
    with _working_directory(), matplotlib.rc_context(SVG_SETTINGS), warnings.catch_warnings():
        warnings.simplefilter("error")
        for block in figure_blocks(text):
            where = f"{page}:{block.line}: {block.name}"
            try:
                exec(compile(block.code, where, "exec"), namespace)
                numbers = plt.get_fignums()
                if len(numbers) != 1:
                    errors.append(f"{where}: the block must leave one figure open; it left {len(numbers)}")
                    continue
                buffer = io.BytesIO()
                plt.figure(numbers[0]).savefig(buffer, format="svg", metadata={"Date": None})
                images[block.name] = buffer.getvalue()
            except Exception as error:  # reported, and the strict build fails
                errors.append(f"{where}: {type(error).__name__}: {error}")
            finally:
                plt.close("all")
    return images, errors


# ---------------------------------------------------------------------------------------------
# 2. shell sessions
# ---------------------------------------------------------------------------------------------

_CONSOLE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>```+)console[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_TITLED = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>```+)\w*[^\n]*?\btitle=\"(?P<name>[\w.-]+)\"[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_CHECKER = doctest.OutputChecker()


class Command(NamedTuple):
    """A ``$`` line of a shell session, the output shown under it, and its line in the page."""

    command: str
    expected: str
    line: int


def session_commands(text: str) -> list[Command]:
    """The commands of every ``console`` block of a markdown text, in page order."""
    commands: list[Command] = []
    for match in _CONSOLE.finditer(text):
        first = text.count("\n", 0, match.start("body")) + 1
        lines = textwrap.dedent(match["body"]).splitlines()
        starts = [index for index, line in enumerate(lines) if line.startswith("$ ")]
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(lines)
            output = "\n".join(line.rstrip() for line in lines[start + 1 : end]).strip("\n")
            commands.append(Command(lines[start][2:].strip(), output, first + start))
    return commands


def session_files(text: str) -> dict[str, str]:
    """The fenced blocks titled with a file name, ``title="contacts.csv"``: name -> content."""
    return {match["name"]: textwrap.dedent(match["body"]) for match in _TITLED.finditer(text)}


def _argv(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    if words[:1] == ["cskpi"]:
        return [sys.executable, "-m", "cskpi", *words[1:]]
    if words[:3] == ["python", "-m", "cskpi"]:
        return [sys.executable, *words[1:]]
    raise ValueError(f"only 'cskpi ...' and 'echo $?' can be run; got {command!r}")


def run_session(text: str, page: str) -> list[str]:
    """Run the shell sessions of a page; return one message per command whose output differs."""
    commands = session_commands(text)
    if not commands:
        return []
    environment = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="100")
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")]))
    errors: list[str] = []
    status = 0
    with _working_directory() as directory:
        for name, content in session_files(text).items():
            (directory / name).write_text(content, encoding="utf-8")
        for command in commands:
            if command.command == "echo $?":
                got = str(status)
            else:
                try:
                    argv = _argv(command.command)
                except ValueError as error:
                    errors.append(f"{page}:{command.line}: {error}")
                    continue
                run = subprocess.run(
                    argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, check=False
                )
                status = run.returncode
                got = "\n".join(line.rstrip() for line in run.stdout.decode("utf-8").splitlines()).strip("\n")
            if not _CHECKER.check_output(command.expected + "\n", got + "\n", doctest.ELLIPSIS):
                diff = difflib.unified_diff(
                    command.expected.splitlines(), got.splitlines(), "shown", "output", lineterm=""
                )
                errors.append(f"{page}:{command.line}: $ {command.command}\n" + "\n".join(diff))
    return errors


# ---------------------------------------------------------------------------------------------
# MkDocs events
# ---------------------------------------------------------------------------------------------


def on_files(files: Any, *, config: Any) -> Any:
    """Draw every page's figures and publish them next to the page; run every page's shell sessions."""
    from mkdocs.structure.files import File  # imported here: pytest imports this file without MkDocs

    for page in list(files.documentation_pages()):
        source = Path(page.abs_src_path).read_text(encoding="utf-8")
        if "<!-- figure:" in source:
            images, errors = draw_figures(source, page.src_uri)
            for error in errors:
                log.warning("%s", error)
            for name, content in images.items():
                path = posixpath.join(posixpath.dirname(page.src_uri), name)
                files.append(File.generated(config, path, content=content))
            if images:
                log.info("%s: %d figures drawn", page.src_uri, len(images))
        if "```console" in source:
            errors = run_session(source, page.src_uri)
            for error in errors:
                log.warning("%s: shell session output differs\n%s", page.src_uri, error)
            if not errors:
                log.info("%s: %d shell commands checked", page.src_uri, len(session_commands(source)))
    return files


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    # The figure markers are instructions to this hook, not content.
    return _FIGURE_COMMENT.sub("", markdown)
