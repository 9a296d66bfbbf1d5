"""identity / carryover / in_force / prose_mismatch / jump / changed on hand-made records."""

from __future__ import annotations

from monitor.checks import carryover, changed, identity, in_force, jump, prose_mismatch
from monitor.settings import JumpRule
from tests.monitor.records import active, appeals, applications, report

A = "sy-fgj"


def test_consistent_report_has_no_identity_finding() -> None:
    assert identity.check([(A, report())]) == []


def test_identity_names_rule_cells_and_both_sides() -> None:
    apps = applications()
    apps["carried_forward"]["natural_person"] = 5  # 10 + 2 != 8 + 5
    apps["carried_forward"]["total"] = 5
    found = identity.check([(A, report(apps=apps))])
    assert [f.key for f in found] == ["identity:sy-fgj:2023:T3.balance"]
    [f] = found
    assert f.severity == "high"
    failures = {x["scope"]: x for x in f.evidence["failures"]}
    assert set(failures) == {"natural_person", "total"}
    assert failures["total"]["left"] == 12 and failures["total"]["right"] == 13
    assert failures["total"]["right_cells"] == [
        "applications.total.total",
        "applications.carried_forward.total",
    ]


def test_t4_groups_and_unreadable_cells() -> None:
    appeal = appeals()
    appeal["review"]["total"] = 3  # 1+0+0+0 != 3
    [f] = identity.check([(A, report(appeal=appeal))])
    assert f.key == "identity:sy-fgj:2023:T4.groups"
    appeal["review"]["upheld"] = None  # unreadable: cannot be checked, not a finding
    assert identity.check([(A, report(appeal=appeal))]) == []


def test_carryover_between_years() -> None:
    prev = report(year=2022, apps=applications(forward=4))
    assert carryover.check(A, prev, report(apps=applications(carried=4, granted=10))) == []
    [f] = carryover.check(A, prev, report(apps=applications(carried=3, granted=9)))
    assert (f.key, f.severity) == ("carryover:sy-fgj:2023", "medium")
    scopes = {x["scope"]: (x["left"], x["right"]) for x in f.evidence["failures"]}
    assert scopes == {"natural_person": (3, 4), "total": (3, 4)}
    # not consecutive years: nothing to compare
    assert carryover.check(A, report(year=2021), report(apps=applications(carried=3))) == []


def test_in_force_is_low_and_soft() -> None:
    prev = report(year=2022, act=active(in_force=10))
    assert in_force.check(A, prev, report(act=active(issued=2, repealed=1, in_force=11))) == []
    [f] = in_force.check(A, prev, report(act=active(issued=2, repealed=1, in_force=15)))
    assert (f.key, f.severity) == ("in_force:sy-fgj:2023", "low")
    # a 2019-template year on either side: the columns do not exist
    assert in_force.check(A, report(year=2022, template="2019", act={}), report()) == []


def test_prose_mismatch_blank_versus_zero() -> None:
    ok = report(prose={"applications_received": 10, "review_total": 1})
    assert prose_mismatch.check([(A, ok)]) == []
    [f] = prose_mismatch.check([(A, report(prose={"applications_received": 12}))])
    assert (f.key, f.evidence["prose_value"], f.evidence["table_value"]) == (
        "prose_mismatch:sy-fgj:2023:applications_received",
        12,
        10,
    )
    # prose "0" against a blank cell: consistent (blank is recorded as 0)
    zero_apps = applications(new=0, carried=0, granted=0, forward=0)
    cell = ("applications", "new_received", "total")
    blank_zero = report(apps=zero_apps, prose={"applications_received": 0}, blank=(cell,))
    assert prose_mismatch.check([(A, blank_zero)]) == []
    # prose 5 against a blank cell: mismatch, and the evidence says the table was blank
    [f] = prose_mismatch.check(
        [(A, report(apps=zero_apps, prose={"applications_received": 5}, blank=(cell,)))]
    )
    assert f.evidence["blank_cells"] == ["applications.new_received.total"]


def test_prose_fees_in_yuan_against_table_in_wan_yuan() -> None:
    assert (
        prose_mismatch.check([(A, report(act=active(fees=0.038), prose={"fees_amount": 380}))])
        == []
    )
    [f] = prose_mismatch.check([(A, report(act=active(fees=0.5), prose={"fees_amount": 380}))])
    assert f.key.endswith(":fees_amount")


DEFAULT_RULE = JumpRule()


def _jump(prev_new: int, cur_new: int, rule: JumpRule = DEFAULT_RULE) -> list[str]:
    before = jump.figures(
        report(year=2022, apps=applications(new=prev_new, carried=0, granted=prev_new, forward=0))
    )
    after = jump.figures(
        report(apps=applications(new=cur_new, carried=0, granted=cur_new, forward=0))
    )
    found = jump.check(A, 2023, before, after, lambda _: rule)
    return sorted(f.key.rsplit(":", 1)[1] for f in found)


def test_jump_thresholds() -> None:
    assert _jump(10, 30) == ["handled_total", "new_applications"]  # 3x, +20
    assert _jump(10, 29) == []  # just under 3x
    assert _jump(100, 34) == []  # 0.34x: just above 1/3
    assert _jump(100, 33) == ["handled_total", "new_applications"]  # <= 1/3, -67
    assert _jump(5, 15) == []  # 3x but only +10
    assert _jump(0, 20) == ["handled_total", "new_applications"]  # printed 0 -> 20
    assert _jump(10, 25, JumpRule(ratio=2.5, min_change=15)) == [
        "handled_total",
        "new_applications",
    ]


def test_jump_skips_blank_cells() -> None:
    cell = ("applications", "new_received", "total")
    before = jump.figures(
        report(year=2022, apps=applications(new=0, carried=0, granted=0, forward=0), blank=(cell,))
    )
    assert "new_applications" not in before
    after = jump.figures(report(apps=applications(new=40, carried=0, granted=40, forward=0)))
    found = jump.check(A, 2023, before, after, lambda _: JumpRule())
    assert [f.evidence["figure"] for f in found] == ["handled_total"]


def test_changed_names_cells_and_paragraphs() -> None:
    old = report(paragraphs=("第一段。", "第二段。"))
    apps = applications()
    apps["new_received"]["natural_person"] = 11
    new = report(apps=apps, paragraphs=("第一段。", "第二段改了。"))
    [f] = changed.check(A, 2023, 2, old, new)
    assert f.key == "changed:sy-fgj:2023:v2"
    assert f.evidence["cells"] == [
        {"cell": "applications.new_received.natural_person", "old": 10, "new": 11}
    ]
    assert f.evidence["paragraphs"] == {"removed": ["第二段。"], "added": ["第二段改了。"]}
    assert changed.check(A, 2023, 2, old, old) == []


def test_every_rule_is_caught_by_the_quick_pass() -> None:
    rows = applications()
    rows["granted"]["commercial"] = 1  # the row total no longer sums its columns (T3.rows) …
    [f] = [f for f in identity.check([(A, report(apps=rows))]) if f.key.endswith("T3.rows")]
    assert f.evidence["failures"][0]["scope"] == "granted"
    results = applications()
    results["denied_state_secret"]["natural_person"] = 2  # … outcomes no longer sum (T3.results)
    results["denied_state_secret"]["total"] = 2
    keys = [f.key for f in identity.check([(A, report(apps=results))])]
    assert "identity:sy-fgj:2023:T3.results" in keys
