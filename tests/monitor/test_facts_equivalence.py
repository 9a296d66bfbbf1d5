"""The check pass reads compact facts, not records: on the same records it must find exactly
what the pure checks find on the full records."""

from __future__ import annotations

import datetime as dt

from records import active, appeals, applications, report

from monitor.checks import carryover, identity, in_force, jump, prose_mismatch
from monitor.settings import load
from parser.record import Report
from storage.facts import derive, failing_of, slim_record
from storage.types import FindingState


def _pass(records: list[Report], slim: bool) -> list[FindingState]:
    rule = load({}).jump_rule
    out: list[FindingState] = []
    prev: Report | None = None
    for full in records:
        facts = derive(full).facts
        record = slim_record(facts) if slim else full
        year = full.year or 0
        if slim:
            out += identity.check_failing("a", year, failing_of(facts), record.agency)
        else:
            out += identity.check_report("a", record)
        out += prose_mismatch.check_report("a", record)
        if prev is not None:
            out += carryover.check("a", prev, record)
            out += in_force.check("a", prev, record)
            out += jump.check("a", year, jump.figures(prev), jump.figures(record), rule)
        prev = record
    return sorted(out, key=lambda f: f.key)


def test_facts_find_what_full_records_find() -> None:
    broken = applications(new=10, carried=2, granted=8, forward=4)
    broken["total"]["total"] = 9  # T3.results and T3.rows fail
    records = [
        report(year=2020, apps=applications(new=10, carried=2, granted=8, forward=4)),
        report(  # carry-over broken, prose wrong, blank review, jumping licensing
            year=2021,
            apps=applications(new=30, carried=5, granted=31, forward=4),
            act=active(in_force=30, licensing=400),
            appeal=appeals((2, 1, 0, 0)),
            prose={"applications_received": 31, "review_total": 3},
            blank=(("appeals", "review", "pending"), ("active", "licensing", "decisions")),
            signed_on=dt.date(2022, 1, 5),
        ),
        report(year=2022, apps=broken, act=active(issued=5, in_force=12)),
    ]
    full = _pass(records, slim=False)
    assert {f.kind for f in full} == {"identity", "carryover", "in_force", "prose_mismatch", "jump"}
    assert _pass(records, slim=True) == full
