"""Run every benchmark script (``bench_*.py``) in this folder, one process each.

    python benchmarks/run.py            # full sizes (minutes; needs the bench extra)
    python benchmarks/run.py --smoke    # tiny sizes, seconds (what CI runs)

Exits non-zero if any script fails, so a broken benchmark is caught by CI even though
its timings are never asserted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    failed = []
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n# {script.name}", flush=True)
        completed = subprocess.run([sys.executable, str(script), *argv], check=False)
        if completed.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
