"""Docstrings of :mod:`cskpi.dask`'s functions, derived from the in-memory functions' own.

A wrapper's own docstring says only what differs on Dask: a short note (its first
paragraphs), its own parameters (``split_every``, ``compute``, histogram options…,
or a Dask-specific description of an in-memory one), optional Notes and References,
and Dask Examples. :func:`derived` composes the published docstring from the
in-memory function's: its summary, the note as an **On Dask** paragraph, its
parameters (those the wrapper does not take left out and named in the note), its
Returns (with the lazy result of ``compute=False``), its Notes and References with
the wrapper's added, and only the wrapper's Examples — so that the examples run by
the doctests and shown in the API pages are the Dask ones.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["derived"]

F = TypeVar("F", bound=Callable[..., Any])

_HEADER = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}\n", re.MULTILINE)

#: Descriptions of the parameters every wrapper shares (unless it gives its own).
COMMON = {
    "partitioned_by_customer": (
        "partitioned_by_customer : bool, default False\n"
        "    True when every customer's contacts already sit in one partition (a data set written\n"
        "    partitioned by a hash of the customer): the shuffle is skipped. False: the rows are\n"
        "    first shuffled by customer with :meth:`dask.dataframe.DataFrame.shuffle`."
    ),
    "npartitions": (
        "npartitions : int, optional\n    Partitions after the shuffle (default: as many as before)."
    ),
    "resolution_seconds": (
        "resolution_seconds : float, default 1.0\n"
        "    Bin width [s] of the histogram of durations once there are too many distinct ones."
    ),
    "max_exact_values": (
        "max_exact_values : int or None, default 100000\n"
        "    Exact while all the data has at most this many distinct (group, duration) pairs\n"
        "    (None: always exact, with partial results as large as the distinct durations)."
    ),
    "split_every": (
        "split_every : int, default 8\n    Partial results merged by one task of the reduction tree."
    ),
    "compute": (
        "compute : bool, default True\n    Return the result (True), or a :class:`dask.delayed.Delayed`"
        " of it (False)\n    to compute with other Dask work in one ``dask.compute``."
    ),
}

_ALIGNMENT = (
    "Data arguments are Dask Series of one Dask DataFrame after the same filters, or Dask "
    "arrays with known chunks (the alignment rule of :mod:`cskpi.dask`); bad data raises "
    "when its partition is computed, naming the partition and file."
)


def _sections(doc: str) -> tuple[str, dict[str, str]]:
    """A numpydoc docstring as its head (summary and extended summary) and its sections, in order."""
    text = inspect.cleandoc(doc)
    matches = list(_HEADER.finditer(text))
    head = text[: matches[0].start()] if matches else text
    sections = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        sections[match.group(1)] = text[match.end() : end].strip("\n")
    return head.strip("\n"), sections


def _entries(body: str) -> list[tuple[tuple[str, ...], str]]:
    """Parameter entries of a section: (names, the entry's text), in order."""
    entries: list[tuple[tuple[str, ...], str]] = []
    for line in body.splitlines():
        if line and not line[0].isspace():
            names = tuple(name.strip().lstrip("*") for name in line.split(" : ")[0].split(","))
            entries.append((names, line))
        elif entries:
            names, text = entries[-1]
            entries[-1] = (names, f"{text}\n{line}")
    return entries


def _parameters(memory: dict[str, str], own: dict[str, str], accepted: set[str]) -> tuple[str, list[str]]:
    """The wrapper's Parameters section, and the in-memory parameters it does not take.

    The wrapper's entry for an in-memory parameter takes that parameter's place; its
    other entries, then the common ones, come last.
    """
    mine = _entries(own.get("Parameters", ""))
    shown: list[str] = []
    placed: set[tuple[str, ...]] = set()
    dropped: list[str] = []
    for names, text in _entries(memory.get("Parameters", "")):
        replacing = [(own_names, own_text) for own_names, own_text in mine if set(own_names) & set(names)]
        if replacing:
            for own_names, own_text in replacing:
                if own_names not in placed:
                    shown.append(own_text)
                    placed.add(own_names)
        elif set(names) & accepted:
            shown.append(text)
        else:
            dropped.extend(names)
    shown += [text for names, text in mine if names not in placed]
    documented = {name for names, _ in mine for name in names}
    shown += [COMMON[name] for name in COMMON if name in accepted and name not in documented]
    return "\n".join(shown), dropped


def _paragraph(text: str) -> str:
    return " ".join(text.split())


def derived(memory: Callable[..., Any]) -> Callable[[F], F]:
    """Give the decorated Dask wrapper a docstring derived from ``memory``'s (see the module notes)."""

    def decorate(wrapper: F) -> F:
        wrapper.__doc__ = dask_docstring(memory, wrapper)
        return wrapper

    return decorate


def dask_docstring(memory: Callable[..., Any], wrapper: Callable[..., Any]) -> str:
    """The docstring of ``wrapper``, the Dask version of ``memory``."""
    memory_head, memory_sections = _sections(memory.__doc__ or "")
    note, own = _sections(wrapper.__doc__ or "")
    accepted = set(inspect.signature(wrapper).parameters)
    parameters, dropped = _parameters(memory_sections, own, accepted)
    on_dask = f"**On Dask.** {_paragraph(note)}" if note else "**On Dask.**"
    if dropped:
        listed = ", ".join(f"``{name}``" for name in dropped)
        on_dask += f" Not taken on Dask: {listed}."
    on_dask += " " + _ALIGNMENT
    summary, _, extended = memory_head.partition("\n")
    parts = [summary, on_dask]
    if extended.strip():
        parts.append(extended.strip("\n"))
    sections: dict[str, str] = {}
    for name, body in memory_sections.items():
        if name == "Examples":
            continue
        sections[name] = body
    sections["Parameters"] = parameters
    if "Returns" in own:
        sections["Returns"] = own["Returns"]
    elif "compute" in accepted and "Returns" in sections:
        sections["Returns"] += (
            "\n    With ``compute=False``, a :class:`dask.delayed.Delayed` of it"
            " (typed :class:`cskpi.dask.Lazy`)."
        )
    for name in ("Notes", "References"):
        if name in own:
            sections[name] = f"{sections[name]}\n\n{own[name]}" if name in sections else own[name]
    for name, body in own.items():
        if name not in ("Parameters", "Returns", "Notes", "References", "Examples"):
            sections[name] = body
    order = ["Parameters", "Returns", "Raises", "Warns", "See Also", "Notes", "References"]
    ordered = [name for name in order if name in sections] + [n for n in sections if n not in order]
    for name in ordered:
        parts.append(f"{name}\n{'-' * len(name)}\n{sections[name]}")
    if "Examples" in own:
        parts.append(f"Examples\n--------\n{own['Examples']}")
    return "\n\n".join(parts) + "\n"
