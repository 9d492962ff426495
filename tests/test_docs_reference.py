"""The API reference shows the defaults of the signatures, and its pages have no stray headings.

The site renders docstrings with mkdocstrings' Python handler, which parses them with Griffe
and the options and extensions written in ``mkdocs.yml``. These tests load the package the
same way and compare what the reference would show with :func:`inspect.signature`. They skip
where Griffe (installed with MkDocs, the ``docs`` extra) is absent.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

griffe = pytest.importorskip("griffe")
yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_MODULES = ["cskpi", "cskpi.plot", "cskpi.dask"]


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """A YAML loader that reads MkDocs' ``!!python/name:`` tags as plain strings."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def _handler_options() -> dict[str, Any]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            return dict(plugin["mkdocstrings"]["handlers"]["python"]["options"])
    raise AssertionError("mkdocs.yml has no mkdocstrings python handler")


@pytest.fixture(scope="module")
def package() -> Any:
    """The ``cskpi`` package as the site loads it (same parser, inspection and extensions)."""
    options = _handler_options()
    extensions = [
        str(ROOT / path) if path.endswith(".py") else path for path in options.get("extensions") or []
    ]
    return griffe.load(
        "cskpi",
        search_paths=[str(ROOT / "src")],
        force_inspection=options.get("force_inspection", False),
        docstring_parser=options["docstring_style"],
        extensions=griffe.load_extensions(*extensions),
    )


def _public_objects() -> list[tuple[str, Any]]:
    """(dotted name, object) of every public function and class, and their public methods."""
    found: list[tuple[str, Any]] = []
    for module_name in PUBLIC_MODULES:
        if importlib.util.find_spec(module_name) is None:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # cskpi.dask without dask
            continue
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            dotted = f"{module_name}.{name}"
            found.append((dotted, obj))
            if inspect.isclass(obj):
                for member_name, member in vars(obj).items():
                    if not member_name.startswith("_") and inspect.isfunction(member):
                        found.append((f"{dotted}.{member_name}", member))
    return found


def _documented(package: Any, dotted: str) -> Any:
    path = dotted.removeprefix("cskpi.")
    obj = package[path]
    return obj.final_target if obj.is_alias else obj


def _signature(obj: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def test_every_documented_default_is_the_signature_default(package: Any) -> None:
    compared = 0
    wrong: list[str] = []
    for dotted, obj in _public_objects():
        signature = _signature(obj)
        documented = _documented(package, dotted)
        if signature is None or documented.docstring is None:
            continue
        for section in documented.docstring.parsed:
            if section.kind.value not in {"parameters", "other parameters"}:
                continue
            for parameter in section.value:
                name = parameter.name.lstrip("*")
                if name not in signature.parameters:
                    wrong.append(f"{dotted}: documents {name!r}, which is not in the signature")
                    continue
                expected = signature.parameters[name].default
                shown = parameter.value
                compared += 1
                if expected is inspect.Parameter.empty:
                    if shown:
                        wrong.append(f"{dotted}({name}): shows default {shown!s}, but it is required")
                elif not shown:
                    wrong.append(f"{dotted}({name}): shows 'required', default is {expected!r}")
                elif str(shown) != repr(expected):
                    wrong.append(f"{dotted}({name}): shows default {shown!s}, signature says {expected!r}")
    assert not wrong, "\n".join(wrong)
    # Every public function documents its parameters: far more than a handful are compared.
    print(f"{compared} documented parameters compared with their signatures")
    assert compared > 300, compared


def test_choices_keep_their_braces_and_quotes(package: Any) -> None:
    volume = _documented(package, "cskpi.volume")
    (parameters,) = (s for s in volume.docstring.parsed if s.kind.value == "parameters")
    period = next(p for p in parameters.value if p.name == "period")
    assert str(period.annotation) == "{'hour', 'day', 'week', 'month', 'quarter', 'year'}"
    assert str(period.value) == "'month'"


# A numpydoc description line that Markdown would read as a heading (``#...`` at a line start).
_HEADING_LINE = re.compile(r"^\s*#", re.MULTILINE)


def test_no_docstring_line_reads_as_a_markdown_heading(package: Any) -> None:
    """Markdown turns a line starting with ``#`` into a heading (and a table-of-contents entry)."""
    offending: list[str] = []
    for dotted, _ in _public_objects():
        documented = _documented(package, dotted)
        if documented.docstring is None:
            continue
        text = documented.docstring.value
        # Examples are code: their ``# comment`` lines are not Markdown.
        prose = re.split(r"^Examples\n-{3,}\n", text, flags=re.MULTILINE)[0]
        offending += [f"{dotted}: {line.strip()}" for line in prose.splitlines() if _HEADING_LINE.match(line)]
    assert not offending, "\n".join(offending)
