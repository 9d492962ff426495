#!/usr/bin/env bash
# Mutation testing of one cskpi module with mutmut, in a scratch copy of the working tree
# (mutmut never touches the real tree). Not part of .ci/run: it takes minutes per module.
#
#   pip install "mutmut==3.8.1"            # into the project's venv (see docs/reliability.md)
#   tests/mutation/run_mutmut.sh _kpi/survey tests/kpi/test_survey.py tests/kpi/test_mutation_kills.py
#
# Arguments: the module (path under src/cskpi without .py, e.g. _kpi/survey), then the
# test files to run against each mutant (default: the tests/*/test_<module's file name>.py that exists). Prints the score and
# writes the surviving mutants' diffs to $OUT/<module>.survivors (OUT defaults to
# /tmp/cskpi-mutation).
set -euo pipefail
module="$1"
shift
tests=("$@")
name="${module##*/}"
if [ ${#tests[@]} -eq 0 ]; then
    tests=(tests/*/test_"${name}".py)
fi
root="${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
out="${OUT:-/tmp/cskpi-mutation}"
mkdir -p "$out"
work="$(mktemp -d "/tmp/cskpi-mutmut-${name}.XXXX")"
trap 'rm -rf "$work"' EXIT
# A copy of the working tree without VCS data, virtual environments or caches.
tar -C "$root" --exclude=.git --exclude='.venv*' --exclude=mutants --exclude=__pycache__ \
    --exclude=.hypothesis --exclude=.mypy_cache --exclude=.ruff_cache -cf - . | tar -C "$work" -xf -
cd "$work"
# mutmut calls each test several times in one process, on fresh instances of its test
# class, which trips hypothesis' differing-executors health check: silence it here only.
cat >> tests/conftest.py <<'PROFILE'

from hypothesis import HealthCheck  # noqa: E402  (added by run_mutmut.sh)

settings.register_profile("mutmut", deadline=None, suppress_health_check=[HealthCheck.differing_executors])
settings.load_profile("mutmut")
PROFILE
selection=$(printf '"%s", ' "${tests[@]}")
cat >> pyproject.toml <<CONFIG

[tool.mutmut]
source_paths = ["src"]
only_mutate = ["src/cskpi/${module}.py"]
pytest_add_cli_args_test_selection = [${selection%, }]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]
# A mutant that makes the tests run 4x longer than the clean run is counted as detected
# (timeout); the default 15x spends most of a run waiting on mutated loop bounds.
timeout_multiplier = 4.0
timeout_constant = 2.0
CONFIG
PYTHON="${PYTHON:-python}"
"$PYTHON" -m mutmut run --max-children "${JOBS:-2}" > "$out/${name}.log" 2>&1 || true
"$PYTHON" -m mutmut results --all true > "$out/${name}.results" 2>&1 || true
# Detected: killed by a failing test, or timed out (an endless or much slower loop).
# Not detected: survived, or no test ran the mutated function ("no tests").
killed=$(grep -c -E ': (killed|timeout)$' "$out/${name}.results" || true)
survived=$(grep -c -E ': (survived|no tests)$' "$out/${name}.results" || true)
other=$(grep -v -c -E ': (killed|timeout|survived|no tests)$' "$out/${name}.results" || true)
: > "$out/${name}.survivors"
for name in $(grep -E ': (survived|no tests)$' "$out/${name}.results" | sed -E 's/: (survived|no tests)$//; s/^ *//'); do
    "$PYTHON" -m mutmut show "$name" >> "$out/${name}.survivors" 2>&1 || true
done
total=$((killed + survived))
score=$(awk -v k="$killed" -v t="$total" 'BEGIN { if (t) printf "%.1f", 100 * k / t; else print "n/a" }')
echo "${module}: ${score}% detected (${killed} of ${total}; ${survived} survived; other states: ${other})" |
    tee "$out/${name}.score"
