"""The blocked, threaded scan kernel against its plain vectorised reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cskpi._core.kernels as kernels
from cskpi import InvalidInputError, nps


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks of 5 and threads from 16 elements up, so small arrays cross every boundary.
    monkeypatch.setattr(kernels, "_BLOCK", 5)
    monkeypatch.setattr(kernels, "_PARALLEL_MIN", 16)


@pytest.mark.usefixtures("tiny_blocks")
@given(
    hnp.arrays(
        st.sampled_from([np.int8, np.int16, np.int64]), st.integers(0, 80), elements=st.integers(-5, 12)
    ),
    st.lists(st.integers(-6, 14), min_size=1, max_size=4),
)
def test_scan_matches_reference(values: np.ndarray, thresholds: list[int]) -> None:
    assert kernels.scan_thresholds(values, thresholds) == kernels.scan_thresholds_reference(
        values, thresholds
    )


@pytest.mark.usefixtures("tiny_blocks")
@given(
    hnp.arrays(np.uint8, st.integers(0, 80), elements=st.integers(0, 255)),
    st.lists(st.integers(0, 255), min_size=1, max_size=4),
)
def test_scan_unsigned_matches_reference(values: np.ndarray, thresholds: list[int]) -> None:
    assert kernels.scan_thresholds(values, thresholds) == kernels.scan_thresholds_reference(
        values, thresholds
    )


@pytest.mark.usefixtures("tiny_blocks")
@given(hnp.arrays(np.int8, st.integers(0, 80), elements=st.integers(0, 10)))
def test_flat_nps_equals_grouped_path(scores: np.ndarray) -> None:
    # The threaded flat kernel and the bincount path (one group) agree exactly.
    flat = nps(scores)
    via_groups = nps(scores, by=np.zeros(scores.shape[0], dtype=np.int8))
    if scores.shape[0]:
        assert flat == via_groups.at(0)
    assert flat == nps(scores.astype(np.float64))


@pytest.mark.usefixtures("tiny_blocks")
def test_flat_nps_reports_negative_int8_answer() -> None:
    scores = np.zeros(40, dtype=np.int8)
    scores[33] = -3  # a uint8 view sees 253: caught by the single maximum
    with pytest.raises(InvalidInputError, match=r"scores must be integers in 0\.\.10; got -3 at index 33"):
        nps(scores)
