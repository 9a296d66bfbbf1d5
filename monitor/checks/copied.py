"""``copied`` (内容雷同): narrative text nearly identical to another report's.

Similarity is the Jaccard index of the sets of 5-character shingles of the narrative sections
(whitespace and punctuation dropped, digits folded, so that a copy with new numbers is still a
copy). A report is compared with the same agency's previous year and with every other
agency's report of the same year.

All-pairs is out of the question at 100 000 reports, so ``CopyIndex`` does it in two passes:
while the records stream by it keeps, per report, a one-permutation MinHash signature
(LSH bands find candidate pairs) and a bottom-k sketch (estimates their similarity); only
the few candidates left are then verified exactly on their text (``verify``). Hashes use
Python's per-process ``hash``: the index lives and dies within one run.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from monitor.findings import finding
from parser.record import Report
from storage.types import FindingState

_MASK = (1 << 63) - 1
_BIN_BITS = 5  # 32 bins …
_BAND_ROWS = 4  # … in 8 bands of 4: P(candidate | J=0.9) > 0.999, P(… | J=0.3) ≈ 0.06
_SKETCH = 64
_MARGIN = 0.15  # estimates this far under the threshold still get verified exactly


@dataclass(frozen=True, order=True)
class DocRef:
    agency_id: str
    year: int


def narrative_text(report: Report) -> str:
    """The narrative sections (those under a heading); the untitled lead-in holds the title,
    the date and the source line, which differ between any two reports."""
    headed = [p for s in report.sections if s.heading.strip() for p in s.paragraphs]
    return "\n".join(headed) if headed else report.narrative


_NUMBER = re.compile(r"\d+")
_NOT_TEXT = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Letters and CJK characters only; every number becomes one "0" (126 and 7 alike)."""
    return _NOT_TEXT.sub("", _NUMBER.sub("0", text))


def shingles(text: str, size: int = 5) -> set[str]:
    norm = normalise(text)
    return {norm[i : i + size] for i in range(len(norm) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class CopyIndex:
    """Signatures of every narrative seen; ``candidates()`` gives the pairs worth verifying."""

    def __init__(
        self, *, threshold: float = 0.9, shingle: int = 5, min_shingles: int = 100
    ) -> None:
        self.threshold = threshold
        self.shingle = shingle
        self.min_shingles = min_shingles
        self._sketch: dict[DocRef, array[int]] = {}
        self._size: dict[DocRef, int] = {}
        self._buckets: dict[int, list[DocRef]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._sketch)

    def add(self, ref: DocRef, text: str) -> None:
        grams = shingles(text, self.shingle)
        if len(grams) < self.min_shingles:
            return
        hashes = sorted({hash(g) & _MASK for g in grams})
        self._sketch[ref] = array("q", hashes[:_SKETCH])
        self._size[ref] = len(hashes)
        shift = 63 - _BIN_BITS
        mins = []
        for b in range(1 << _BIN_BITS):
            i = bisect_left(hashes, b << shift)
            mins.append(hashes[i] if i < len(hashes) and hashes[i] >> shift == b else -1)
        for band in range(0, len(mins), _BAND_ROWS):
            self._buckets[hash((ref.year, band, *mins[band : band + _BAND_ROWS]))].append(ref)

    def estimate(self, a: DocRef, b: DocRef) -> float:
        sa, sb = set(self._sketch[a]), set(self._sketch[b])
        union = sorted(sa | sb)[:_SKETCH]
        return sum(1 for h in union if h in sa and h in sb) / len(union)

    def _plausible(self, a: DocRef, b: DocRef) -> bool:
        small, large = sorted((self._size[a], self._size[b]))
        if small < large * self.threshold:  # sizes alone cap the Jaccard index
            return False
        return self.estimate(a, b) >= self.threshold - _MARGIN

    def candidates(self) -> set[tuple[DocRef, DocRef]]:
        """Pairs (sorted) to verify: same year and other agency, or same agency and year-1."""
        pairs: set[tuple[DocRef, DocRef]] = set()
        for refs in self._buckets.values():
            if len(refs) < 2:
                continue
            for i, a in enumerate(refs):
                for b in refs[i + 1 :]:
                    if a.agency_id != b.agency_id and a.year == b.year:
                        pair = (a, b) if a < b else (b, a)
                        if pair not in pairs and self._plausible(*pair):
                            pairs.add(pair)
        for ref in self._sketch:
            before = DocRef(ref.agency_id, ref.year - 1)
            if before in self._sketch and self._plausible(before, ref):
                pairs.add((before, ref))
        return pairs


def verify(
    pairs: Iterable[tuple[DocRef, DocRef]],
    texts: Mapping[DocRef, str],
    *,
    threshold: float = 0.9,
    shingle: int = 5,
    names: Mapping[str, str] | None = None,
) -> list[FindingState]:
    """Exact similarity of each candidate pair; one finding per report, naming its closest twin."""
    cache: dict[DocRef, set[str]] = {}

    def grams(ref: DocRef) -> set[str]:
        if ref not in cache:
            cache[ref] = shingles(texts[ref], shingle)
        return cache[ref]

    matches: dict[DocRef, list[tuple[float, DocRef]]] = defaultdict(list)
    for a, b in pairs:
        if a not in texts or b not in texts:
            continue
        similarity = jaccard(grams(a), grams(b))
        if similarity < threshold:
            continue
        if a.agency_id == b.agency_id:
            matches[b].append((similarity, a))  # only the later year copied the earlier
        else:
            matches[a].append((similarity, b))
            matches[b].append((similarity, a))
    names = names or {}
    out = []
    for ref, found in sorted(matches.items()):
        found.sort(key=lambda m: (-m[0], m[1]))
        similarity, other = found[0]
        other_name = names.get(other.agency_id, other.agency_id)
        evidence = {
            "other_agency": other.agency_id,
            "other_agency_name": other_name,
            "other_year": other.year,
            "similarity": round(similarity, 4),
            "threshold": threshold,
            "matches": [
                {"agency": o.agency_id, "year": o.year, "similarity": round(s, 4)} for s, o in found
            ],
        }
        summary = (
            f"{names.get(ref.agency_id, ref.agency_id)} {ref.year}年度报告正文与"
            f"{other_name} {other.year}年度报告雷同（相似度{similarity:.0%}）"
        )
        out.append(finding("copied", ref.agency_id, ref.year, summary, evidence))
    return out


def check(
    texts: Mapping[DocRef, str],
    *,
    threshold: float = 0.9,
    shingle: int = 5,
    min_shingles: int = 100,
    names: Mapping[str, str] | None = None,
) -> list[FindingState]:
    """The whole check over texts held in memory (the job streams instead)."""
    index = CopyIndex(threshold=threshold, shingle=shingle, min_shingles=min_shingles)
    for ref, text in texts.items():
        index.add(ref, text)
    return verify(index.candidates(), texts, threshold=threshold, shingle=shingle, names=names)
