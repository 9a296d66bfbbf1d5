"""missing / due / late / removed on hand-made facts, with the deadline-day boundaries."""

from __future__ import annotations

import datetime as dt

from monitor.checks import late, missing, removed
from monitor.inputs import AgencyFacts, ReportFacts

DEPT = AgencyFacts("sy-fgj", "沭阳县发展和改革局", "department", "江苏省/宿迁市/沭阳县", since=2023)
GOV = AgencyFacts("sy-gov", "沭阳县人民政府", "county", "江苏省/宿迁市/沭阳县", since=2023)
UTC = dt.UTC


def _missing(today: dt.date, present: set[tuple[str, int]] = set(), **kw: int) -> list[str]:  # noqa: B006
    return [f.key for f in missing.check([DEPT, GOV], present, today, **kw)]


def test_missing_opens_the_day_after_deadline_plus_grace() -> None:
    # department 2023 report: due 2024-01-31, grace 7 days -> still fine on 02-07
    assert _missing(dt.date(2024, 2, 7)) == []
    assert _missing(dt.date(2024, 2, 8)) == ["missing:sy-fgj:2023"]
    # the county government has until 03-31 (+7)
    assert _missing(dt.date(2024, 4, 7)) == ["missing:sy-fgj:2023"]
    assert _missing(dt.date(2024, 4, 8)) == ["missing:sy-fgj:2023", "missing:sy-gov:2023"]


def test_present_report_is_not_missing_and_since_is_respected() -> None:
    assert _missing(dt.date(2024, 6, 1), {("sy-fgj", 2023), ("sy-gov", 2023)}) == []
    # since=2023: the 2022 report is not expected
    assert _missing(dt.date(2025, 6, 1), {("sy-fgj", 2024), ("sy-gov", 2024)}) == [
        "missing:sy-fgj:2023",
        "missing:sy-gov:2023",
    ]


def test_due_reminder_window() -> None:
    # 14 days before 2024-01-31 is 01-17: the window opens that day
    assert missing.check([DEPT], set(), dt.date(2024, 1, 16), due_days=14) == []
    found = missing.check([DEPT], set(), dt.date(2024, 1, 17), due_days=14)
    assert [(f.key, f.severity, f.evidence["days_left"]) for f in found] == [
        ("due:sy-fgj:2023", "low", 14)
    ]
    # inside the grace period it is still "due", after it "missing"
    assert [f.kind for f in missing.check([DEPT], set(), dt.date(2024, 2, 7), due_days=14)] == [
        "due"
    ]
    assert [f.kind for f in missing.check([DEPT], set(), dt.date(2024, 2, 8), due_days=14)] == [
        "missing"
    ]


def _report(**kw: object) -> ReportFacts:
    base: dict[str, object] = {
        "agency_id": "sy-fgj",
        "year": 2023,
        "url": "http://portal/nb.html",
        "first_seen": dt.datetime(2024, 3, 1, tzinfo=UTC),
    }
    base.update(kw)
    return ReportFacts(**base)  # type: ignore[arg-type]


AGENCIES = {"sy-fgj": DEPT, "sy-gov": GOV}


def test_published_on_the_deadline_day_is_on_time() -> None:
    assert late.check([_report(published_on=dt.date(2024, 1, 31))], AGENCIES) == []
    [f] = late.check([_report(published_on=dt.date(2024, 2, 1))], AGENCIES)
    assert (f.key, f.severity, f.evidence["days_late"], f.evidence["basis"]) == (
        "late:sy-fgj:2023",
        "medium",
        1,
        "page_date",
    )


def test_late_evidence_list_date_and_signature() -> None:
    [f] = late.check([_report(list_date=dt.date(2024, 2, 10))], AGENCIES)
    assert (f.evidence["basis"], f.evidence["days_late"]) == ("list_date", 10)
    # signed after the deadline: it cannot have been published before
    [f] = late.check(
        [_report(published_on=dt.date(2024, 1, 20), signed_on=dt.date(2024, 2, 5))], AGENCIES
    )
    assert (f.evidence["basis"], f.evidence["days_late"]) == ("signature_date", 5)


def test_first_seen_alone_is_no_evidence_but_an_earlier_empty_crawl_is() -> None:
    assert late.check([_report()], AGENCIES) == []
    absent = dt.datetime(2024, 2, 20, 8, tzinfo=UTC)
    [f] = late.check([_report(absent_at=absent)], AGENCIES)
    assert (f.evidence["basis"], f.evidence["days_late"]) == ("crawler_absent", 20)
    # a crawl before the deadline that did not show it proves nothing
    assert late.check([_report(absent_at=dt.datetime(2024, 1, 30, tzinfo=UTC))], AGENCIES) == []


def test_removed_names_the_status() -> None:
    gone = _report(
        status="removed", removed_status=404, removed_at=dt.datetime(2024, 5, 1, tzinfo=UTC)
    )
    left = _report(agency_id="sy-gov", status="removed")
    found = removed.check([gone, left, _report(year=2022)], AGENCIES)
    assert [(f.key, f.severity) for f in found] == [
        ("removed:sy-fgj:2023", "high"),
        ("removed:sy-gov:2023", "high"),
    ]
    assert "404" in found[0].summary and "列表" in found[1].summary
