"""Rows whose numbers do not fit their columns, settled by the identities of the spec — or not.

Two ways a flattened row goes wrong: a spurious extra number (a merged cell printed as 0),
and numbers run together without separators (``21710000218``). Every reading of the tokens
that yields exactly the right number of cells is a candidate; a candidate survives only if
every identity that can be checked on it holds. One surviving reading is taken (and its cells
flagged ``resolved``); none or several leave the cells ``null``: never guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from math import comb

from parser.record import Number

#: Beyond this many readings a row is left unresolved rather than searched at length.
MAX_CANDIDATES = 20_000

Vector = tuple[Number, ...]


def readings(tokens: list[str], ncols: int) -> list[Vector] | None:
    """Distinct readings of number tokens as ``ncols`` numbers; ``None`` if too many to try."""
    n = len(tokens)
    if n == ncols:
        return [tuple(_num(t) for t in tokens)]
    if n > ncols:
        if comb(n, n - ncols) > MAX_CANDIDATES:
            return None
        out = {
            tuple(_num(t) for i, t in enumerate(tokens) if i not in drop)
            for drop in itertools.combinations(range(n), n - ncols)
        }
        return sorted(out)
    gaps = sum(max(len(t) - 1, 0) for t in tokens if t.isdigit())
    if comb(gaps, ncols - n) > MAX_CANDIDATES * 5:
        return None
    found: set[Vector] = set()
    for pieces in _splits(tokens, ncols - n):
        found.add(tuple(_num(p) for p in pieces))
        if len(found) > MAX_CANDIDATES:
            return None
    return sorted(found)


def resolve(
    tokens: list[str], ncols: int, checks: list[Callable[[Vector], bool | None]]
) -> Vector | None:
    """The one reading every applicable check accepts, or ``None``.

    A check returns ``None`` when it cannot be applied (a cell it needs is unknown); a row
    with no applicable check at all is never resolved.
    """
    if not checks:
        return None
    options = readings(tokens, ncols)
    if not options:
        return None
    survivors = []
    for vector in options:
        verdicts = [check(vector) for check in checks]
        if any(v is False for v in verdicts) or all(v is None for v in verdicts):
            continue
        survivors.append(vector)
    return survivors[0] if len(survivors) == 1 else None


def _num(token: str) -> Number:
    return float(token) if "." in token else int(token)


def _splits(tokens: list[str], extra: int) -> Iterator[list[str]]:
    """Ways to cut digit tokens into ``len(tokens) + extra`` numbers (no leading zeros)."""
    if not tokens:
        if extra == 0:
            yield []
        return
    head, rest = tokens[0], tokens[1:]
    max_cuts = len(head) - 1 if head.isdigit() else 0
    for cuts in range(min(extra, max_cuts) + 1):
        for pieces in _cut(head, cuts):
            for tail in _splits(rest, extra - cuts):
                yield [*pieces, *tail]


def _cut(token: str, cuts: int) -> Iterator[list[str]]:
    if cuts == 0:
        yield [token]
        return
    yield from _pieces(token, cuts + 1)


def _pieces(digits: str, count: int) -> Iterator[list[str]]:
    """``digits`` cut into ``count`` numbers without leading zeros, shortest first piece first.

    Pruned as it goes (a piece starting with 0 is just "0"), instead of filtering all
    ``C(len-1, count-1)`` cuttings: runs of zeros make most of those invalid.
    """
    if len(digits) < count:
        return
    if count == 1:
        if digits == "0" or not digits.startswith("0"):
            yield [digits]
        return
    longest = 1 if digits.startswith("0") else len(digits) - count + 1
    for size in range(1, longest + 1):
        head = digits[:size]
        for rest in _pieces(digits[size:], count - 1):
            yield [head, *rest]
