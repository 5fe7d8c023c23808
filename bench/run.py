"""Run every bench/*_bench.py in turn with this interpreter; exit non-zero if any failed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    failed = []
    for script in sorted(Path(__file__).resolve().parent.glob("*_bench.py")):
        print(f"== {script.name}", flush=True)
        # One process per bench: none inherits another's imports, caches or warm-up.
        if subprocess.run([sys.executable, str(script)]).returncode != 0:
            failed.append(script.name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
