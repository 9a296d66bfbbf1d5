"""copied: near-identical narratives (digits folded), named counterpart, and the index scale."""

from __future__ import annotations

import random
import time

from monitor.checks import copied
from monitor.checks.copied import DocRef

BASE = (
    "本年度，本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国"
    "政府信息公开条例》，围绕中心工作，不断完善主动公开机制，依法办理依申请公开，"
    "加强政策解读和回应关切，持续推进决策、执行、管理、服务、结果公开。全年主动公开政府信息"
    "1099条，收到政府信息公开申请126件，均在法定期限内答复。存在的主要问题是公开内容不够全面，"
    "解读形式较为单一；下一步将加强培训，提升公开质量，拓展公开渠道，强化监督考核。"
)

_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就年分对成会可主发"


def _other_text(seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_CHARS) for _ in range(len(BASE)))


def test_copy_with_new_numbers_is_still_a_copy_and_names_the_other() -> None:
    texts = {
        DocRef("a", 2023): BASE,
        DocRef("b", 2023): BASE.replace("1099", "2345").replace("126", "7"),
        DocRef("c", 2023): _other_text(1),
    }
    found = copied.check(texts, names={"a": "甲局", "b": "乙局"})
    assert [(f.key, f.evidence["other_agency"]) for f in found] == [
        ("copied:a:2023", "b"),
        ("copied:b:2023", "a"),
    ]
    assert found[0].severity == "high" and "乙局" in found[0].summary
    assert found[0].evidence["similarity"] == 1.0


def test_previous_year_of_the_same_agency_only_flags_the_later_year() -> None:
    texts = {DocRef("a", 2022): BASE, DocRef("a", 2023): BASE + "新增一句。"}
    [f] = copied.check(texts)
    assert (f.key, f.evidence["other_year"]) == ("copied:a:2023", 2022)
    # another agency's report of another year is not compared
    assert copied.check({DocRef("a", 2022): BASE, DocRef("b", 2023): BASE}) == []


def test_just_under_the_threshold_is_not_a_copy() -> None:
    a = copied.shingles(BASE)
    edited = BASE[:150] + _other_text(2)[150:170] + BASE[170:]
    similarity = copied.jaccard(a, copied.shingles(edited))
    assert 0.75 < similarity < 0.9
    assert copied.check({DocRef("a", 2023): BASE, DocRef("b", 2023): edited}) == []
    found = copied.check({DocRef("a", 2023): BASE, DocRef("b", 2023): edited}, threshold=0.75)
    assert len(found) == 2


def test_short_texts_are_not_judged() -> None:
    assert copied.check({DocRef("a", 2023): "本年度无。", DocRef("b", 2023): "本年度无。"}) == []


def test_index_finds_planted_pairs_among_many_without_all_pairs() -> None:
    texts = {DocRef(f"ag{i:05d}", 2023): _other_text(i) for i in range(3000)}
    texts[DocRef("copy1", 2023)] = texts[DocRef("ag00042", 2023)]
    texts[DocRef("copy2", 2023)] = texts[DocRef("ag01234", 2023)][:-3] + "另加几字"
    started = time.perf_counter()
    index = copied.CopyIndex()
    for ref, text in texts.items():
        index.add(ref, text)
    pairs = index.candidates()
    elapsed = time.perf_counter() - started
    found = copied.verify(pairs, texts)
    assert sorted(f.agency_id for f in found) == ["ag00042", "ag01234", "copy1", "copy2"]
    assert len(pairs) < 50  # candidates, not 4.5 million pairs
    assert elapsed < 20
