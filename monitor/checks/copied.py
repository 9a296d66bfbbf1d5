"""``copied`` (内容雷同): narrative text nearly identical to another report's.

Similarity is the Jaccard index of the sets of 5-character shingles of the narrative sections
(whitespace and punctuation dropped, digits folded, so that a copy with new numbers is still a
copy). A report is compared with the same agency's previous year and with every other
agency's report of the same year.

All-pairs is out of the question at a million reports, so ``CopyIndex`` works on the compact
one-permutation MinHash signatures that storage derives when a version is stored
(``storage.sketch``): LSH bands of the 32 bin minimums find candidate pairs within a year, the
share of agreeing bins estimates their similarity, and only the few candidates left are
verified exactly on their text (``verify``).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from monitor.findings import finding
from storage.sketch import BINS, EMPTY, Signature, estimate, narrative_text, normalise, shingles
from storage.sketch import signature as signature_of_text
from storage.types import FindingState

__all__ = [
    "MARGIN",
    "CopyIndex",
    "DocRef",
    "check",
    "jaccard",
    "narrative_text",
    "normalise",
    "pairs_from",
    "plausible",
    "verify",
]

_BAND_ROWS = 4  # 8 bands of 4 bins: P(candidate | J=0.9) > 0.999, P(… | J=0.3) ≈ 0.06
_MARGIN = 0.15  # estimates this far under the threshold still get verified exactly


@dataclass(frozen=True, order=True)
class DocRef:
    agency_id: str
    year: int


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class _Year:
    """The signatures of one year, packed: 32 minimums (uint32) per report in one array."""

    def __init__(self) -> None:
        self.refs: list[DocRef] = []
        self.counts = array("I")
        self.mins = array("I")

    def signature(self, i: int) -> Signature:
        return Signature(self.counts[i], tuple(self.mins[i * BINS : (i + 1) * BINS]))


class CopyIndex:
    """Signatures of every narrative seen; ``candidates()`` gives the pairs worth verifying.

    Add reports ordered by agency and year (as a check pass streams them): the same agency's
    previous year is then the report added just before, compared on the spot."""

    def __init__(
        self, *, threshold: float = 0.9, shingle: int = 5, min_shingles: int = 100
    ) -> None:
        self.threshold = threshold
        self.shingle = shingle
        self.min_shingles = min_shingles
        self._years: dict[int, _Year] = defaultdict(_Year)
        self._last: tuple[DocRef, Signature] | None = None
        self._pairs: set[tuple[DocRef, DocRef]] = set()
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, ref: DocRef, text: str) -> None:
        self.add_signature(ref, signature_of_text(text, self.shingle))

    def add_signature(self, ref: DocRef, sig: Signature) -> None:
        if sig.count < self.min_shingles:
            return
        last = self._last
        before = DocRef(ref.agency_id, ref.year - 1)
        if last is not None and last[0] == before and self._plausible(last[1], sig):
            self._pairs.add((before, ref))
        self._last = (ref, sig)
        year = self._years[ref.year]
        year.refs.append(ref)
        year.counts.append(sig.count)
        year.mins.extend(sig.mins)
        self._size += 1

    def _plausible(self, a: Signature, b: Signature) -> bool:
        return plausible(a, b, self.threshold)

    def candidates(self) -> set[tuple[DocRef, DocRef]]:
        """Pairs (sorted) to verify: same year and other agency, or same agency and year-1."""
        pairs = set(self._pairs)
        for year in self._years.values():
            buckets: dict[int, list[int]] = defaultdict(list)
            for i in range(len(year.refs)):
                row = year.mins[i * BINS : (i + 1) * BINS]
                for band in range(0, BINS, _BAND_ROWS):
                    chunk = row[band : band + _BAND_ROWS]
                    if all(m == EMPTY for m in chunk):
                        continue  # short texts leave whole bands empty: no evidence
                    buckets[hash((band, *chunk))].append(i)
            for members in buckets.values():
                for n, i in enumerate(members):
                    for j in members[n + 1 :]:
                        a, b = year.refs[i], year.refs[j]
                        if a.agency_id == b.agency_id:
                            continue
                        pair = (a, b) if a < b else (b, a)
                        if pair not in pairs and self._plausible(
                            year.signature(i), year.signature(j)
                        ):
                            pairs.add(pair)
        return pairs


MARGIN = _MARGIN


def plausible(a: Signature, b: Signature, threshold: float) -> bool:
    """Worth verifying: sizes that allow ``threshold`` and an estimate near it."""
    small, large = sorted((a.count, b.count))
    if small < large * threshold:  # sizes alone cap the Jaccard index
        return False
    return estimate(a, b) >= threshold - _MARGIN


Signed = tuple[DocRef, Signature]


def pairs_from(
    buckets: Iterable[Sequence[Signed]],
    previous: Iterable[tuple[Signed, Signed]],
    threshold: float,
) -> set[tuple[DocRef, DocRef]]:
    """``CopyIndex.candidates`` for LSH buckets and previous-year pairs found elsewhere (the
    set-based pass finds them in SQL): the same filters, the same pairs."""
    pairs = {(a, b) for (a, sa), (b, sb) in previous if plausible(sa, sb, threshold)}
    for members in buckets:
        for n, (a, sa) in enumerate(members):
            for b, sb in members[n + 1 :]:
                if a.agency_id == b.agency_id:
                    continue
                pair = (a, b) if a < b else (b, a)
                if pair not in pairs and plausible(sa, sb, threshold):
                    pairs.add(pair)
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
    for ref in sorted(texts):
        index.add(ref, texts[ref])
    return verify(index.candidates(), texts, threshold=threshold, shingle=shingle, names=names)
