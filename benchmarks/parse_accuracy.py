"""Cell-level accuracy of the parser over a folder of reports with expected JSON beside them.

    python benchmarks/parse_accuracy.py DIR [DIR...]

For every ``name.json`` holding expected tables, the report ``name.<ext>`` beside it (or, for
the seeds layout, ``../name.<ext>`` of ``expected/name.json``) is parsed and every expected
cell compared. Prints correct/expected cells, the accuracy and the count of null cells.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parser import parse
from parser.errors import ParserError

TABLES = ("active", "applications", "appeals")


def _source(expected: Path) -> Path | None:
    for folder in (expected.parent, expected.parent.parent):
        for candidate in sorted(folder.glob(f"{expected.stem}.*")):
            if candidate.suffix != ".json":
                return candidate
    return None


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("dirs", nargs="+", type=Path)
    ns = args.parse_args(argv)
    correct = expected_cells = nulls = reports = failures = 0
    for folder in ns.dirs:
        for path in sorted(folder.rglob("*.json")):
            expected = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(expected, dict) or not any(k in expected for k in TABLES):
                continue
            source = _source(path)
            if source is None:
                continue
            reports += 1
            try:
                got = parse(source.read_bytes(), name=str(source)).to_dict()
            except ParserError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failures += 1
                got = {}
            wrong = 0
            for table in TABLES:
                rows = expected.get(table) or {}
                for row, columns in rows.items():
                    for column, value in columns.items():
                        expected_cells += 1
                        actual = ((got.get(table) or {}).get(row) or {}).get(column, "missing")
                        nulls += actual is None
                        if actual == value:
                            correct += 1
                        else:
                            wrong += 1
            print(f"{source}: {wrong} wrong cells")
    accuracy = correct / expected_cells if expected_cells else 0.0
    print(f"reports: {reports} (errors: {failures})")
    print(f"cells: {correct}/{expected_cells} correct = {accuracy:.4%}; null cells: {nulls}")
    return 0 if correct == expected_cells else 1


if __name__ == "__main__":
    sys.exit(main())
