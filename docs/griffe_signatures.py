"""Griffe extension of the API reference: defaults come from the signatures, not from the docstrings.

Registered in ``mkdocs.yml`` (``mkdocstrings`` → ``handlers`` → ``python`` → ``options`` →
``extensions``). The docstrings follow numpydoc: ``period : {'hour', 'day', ...}, default
'month'``. Griffe's numpy parser reads such a line as "the first choice is the default"
(``'hour'``), and a parameter whose line has no ``default`` part keeps whatever the parser
guessed. After the package is loaded, every parsed docstring section of parameters is
rewritten so that:

* the **default** is the one of ``inspect.signature`` (a parameter without one shows as
  required), whatever the docstring's type line says;
* a set of **choices** stays a set, ``{'hour', 'day', ...}``, as written (Griffe would
  turn it into a tuple of bare names, quotes lost).

``tests/test_docs_reference.py`` loads the package with the extensions listed in
``mkdocs.yml`` and compares every default shown with ``inspect.signature``.

Griffe is imported only if installed: pytest imports this file while collecting doctests
in environments without MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

try:
    import griffe
except ImportError:  # pragma: no cover - the bare test environment has no MkDocs
    griffe = None

_PARAMETER_SECTIONS = {"parameters", "other parameters"}
# A numpydoc parameter line with choices: ``name : {'a', 'b'}, default 'a'`` (several names allowed).
_CHOICES = re.compile(r"^(?P<names>\*{0,2}\w+(?:,\s*\*{0,2}\w+)*)\s+:\s+\{(?P<choices>[^}]*)\}", re.MULTILINE)


def _choices(text: str) -> dict[str, str]:
    """Parameter name -> ``{...}`` choices written in a docstring's type lines."""
    found: dict[str, str] = {}
    for match in _CHOICES.finditer(text):
        for name in re.split(r",\s*", match["names"]):
            found[name.lstrip("*")] = "{" + match["choices"].strip() + "}"
    return found


def signature_parameters(obj: Any) -> dict[str, Any]:
    """Name -> griffe parameter of a function, or of a class's ``__init__`` (empty otherwise)."""
    try:
        parameters = obj.parameters
    except (AttributeError, KeyError, ValueError):
        return {}
    return {parameter.name: parameter for parameter in parameters} if parameters is not None else {}


def fix_sections(sections: list[Any], obj: Any) -> list[Any]:
    """Set every documented parameter's default from the signature; keep choices as written."""
    parameters = signature_parameters(obj)
    choices = _choices(obj.docstring.value) if obj.docstring else {}
    for section in sections:
        if section.kind.value not in _PARAMETER_SECTIONS:
            continue
        for documented in section.value:
            name = documented.name.lstrip("*")
            if name in parameters:
                documented.value = parameters[name].default
            if name in choices:
                documented.annotation = choices[name]
    return sections


def _objects(module: Any) -> Iterator[Any]:
    """The module, and every function, class and method defined under it (aliases skipped)."""
    yield module
    for member in module.members.values():
        if member.is_alias:
            continue
        if member.is_module or member.is_class:
            yield from _objects(member)
        elif member.is_function:
            yield member


if griffe is not None:

    class SignatureDefaults(griffe.Extension):  # type: ignore[misc]
        """Parse every docstring of a loaded package with its defaults taken from the signatures."""

        def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
            for obj in _objects(pkg):
                docstring = obj.docstring
                if docstring is not None and docstring.parser is not None:
                    # ``Docstring.parsed`` is a cached property: fill its cache with the fixed sections.
                    docstring.__dict__["parsed"] = fix_sections(docstring.parse(), obj)
