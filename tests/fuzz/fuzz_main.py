"""Coverage-guided fuzzing of the validation layer and the CSV reader with atheris (libFuzzer).

Not part of the test run. Install atheris into the project's virtual environment and
run one target for a time budget, from the repository root::

    pip install "atheris==3.0.0"
    python tests/fuzz/fuzz_main.py validation -max_total_time=600 -rss_limit_mb=4096
    python tests/fuzz/fuzz_main.py csv -max_total_time=600 -rss_limit_mb=4096

Arguments after the target name go to libFuzzer (``-runs=N``, ``-max_len=N``, a corpus
directory…). A crash stops the run and writes the input to ``crash-<hash>``; add it to
``VALIDATION_CRASHES`` or ``CSV_CRASHES`` in ``test_fuzz_smoke.py`` (and fix the bug, or
report it to the module's owner) so that it is replayed on every test run. See
docs/reliability.md for the budgets used and the results.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    import atheris  # only here: pytest imports this module, and atheris is an optional tool

    if len(argv) < 2 or argv[1] not in ("validation", "csv"):
        raise SystemExit("usage: fuzz_main.py {validation,csv} [libFuzzer options]")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for ``fuzz.targets``
    with atheris.instrument_imports(include=["cskpi", "fuzz"]):
        from fuzz import targets
    target = targets.validation_target if argv[1] == "validation" else targets.csv_target
    atheris.Setup([argv[0], *argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
