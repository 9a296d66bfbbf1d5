"""A job for the scheduler tests: importable by reference, as the job store needs."""

from __future__ import annotations


def touch(path: str) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write("ran\n")
