"""The docstrings of cskpi.dask's wrappers are derived from the in-memory functions' (no Dask needed)."""

from __future__ import annotations

import doctest
import inspect
import re
from typing import Any

import pytest

import cskpi
import cskpi.dask as cd
from cskpi._dask.docs import dask_docstring

WRAPPERS = [
    name
    for name in cd.__all__
    if callable(getattr(cd, name))
    and not inspect.isclass(getattr(cd, name))
    and hasattr(cskpi, name)
    and getattr(cskpi, name) is not getattr(cd, name)
]


def section(doc: str, name: str) -> str:
    found = re.search(rf"^{name}\n-+\n(.*?)(?=^[A-Z][A-Za-z ]+\n-+\n|\Z)", doc, re.S | re.M)
    return found.group(1) if found else ""


def test_every_wrapper_of_an_in_memory_function_is_covered() -> None:
    assert {"nps", "csat", "service_level", "first_response_time", "resolution_time"} <= set(WRAPPERS)
    assert len(WRAPPERS) == 15


@pytest.mark.parametrize("name", WRAPPERS)
def test_wrapper_docstring_is_the_in_memory_one_with_a_dask_note(name: str) -> None:
    wrapper, memory = getattr(cd, name), getattr(cskpi, name)
    doc, memory_doc = inspect.cleandoc(wrapper.__doc__), inspect.cleandoc(memory.__doc__)
    # The in-memory summary, then what differs on Dask.
    assert doc.splitlines()[0] == memory_doc.splitlines()[0]
    assert "**On Dask.**" in doc.split("\nParameters\n")[0]
    # The in-memory Notes and References are kept, not rewritten.
    for kept in ("Notes", "References"):
        assert section(memory_doc, kept).strip() in section(doc, kept), (name, kept)
    # Every parameter the wrapper takes is documented once; those it does not take are named.
    documented = [
        name.strip().lstrip("*")
        for line in section(doc, "Parameters").splitlines()
        if line and not line[0].isspace()
        for name in line.split(" : ")[0].split(",")
    ]
    parameters = list(inspect.signature(wrapper).parameters)
    assert sorted(documented) == sorted(parameters), name
    missing = [p for p in inspect.signature(memory).parameters if p not in parameters]
    for parameter in missing:
        assert f"``{parameter}``" in doc.split("\nParameters\n")[0], (name, parameter)
    # The returned object, and its lazy form.
    assert "With ``compute=False``, a :class:`dask.delayed.Delayed`" in section(doc, "Returns")


@pytest.mark.parametrize("name", WRAPPERS)
def test_wrapper_examples_are_the_dask_ones_only(name: str) -> None:
    # An in-memory example inherited by the wrapper would run against the in-memory
    # function under the doctests: only the wrapper's own examples are kept.
    doc = getattr(cd, name).__doc__
    examples = [example.source for example in doctest.DocTestParser().get_examples(doc)]
    assert examples, name
    assert any("cskpi.dask." in source for source in examples), name
    assert "importorskip" in examples[0], name  # skipped cleanly without Dask
    memory = [e.source for e in doctest.DocTestParser().get_examples(getattr(cskpi, name).__doc__)]
    assert any(source.startswith("from cskpi import") for source in memory)  # in-memory examples...
    assert not any(source.startswith("from cskpi import") for source in examples)  # ...these do not


def test_derived_docstring_places_overrides_and_lists_what_dask_does_not_take() -> None:
    def memory(values: Any, *, by: Any = None, weights: Any = None) -> None:
        """Sum of values.

        Longer text.

        Parameters
        ----------
        values : array-like
            The values.
        by : array-like, optional
            Groups.
        weights : array-like, optional
            Weights.

        Returns
        -------
        float
            The sum.

        Notes
        -----
        ``sum = Σ v``.

        Examples
        --------
        >>> 1 + 1
        2
        """

    def wrapper(values: Any, *, by: Any = None, split_every: int = 8, compute: bool = True) -> None:
        """Sums add.

        Parameters
        ----------
        values : dask.array.Array
            The Dask values.

        Notes
        -----
        Merged with ``+``.

        Examples
        --------
        >>> 2 + 2
        4
        """

    doc = dask_docstring(memory, wrapper)
    head, _, _ = doc.partition("\nParameters\n----------\n")
    assert head.startswith("Sum of values.\n\n**On Dask.** Sums add. Not taken on Dask: ``weights``.")
    assert head.rstrip().endswith("Longer text.")
    parameters = section(doc, "Parameters")
    assert parameters.startswith("values : dask.array.Array\n    The Dask values.\nby : array-like")
    assert "weights" not in parameters
    assert parameters.index("split_every : int") < parameters.index("compute : bool")
    lazy = "With ``compute=False``, a :class:`dask.delayed.Delayed` of it (typed :class:`cskpi.dask.Lazy`)."
    assert section(doc, "Returns").rstrip().endswith(lazy)
    assert section(doc, "Notes").strip() == "``sum = Σ v``.\n\nMerged with ``+``."
    assert ">>> 1 + 1" not in doc and ">>> 2 + 2" in doc
