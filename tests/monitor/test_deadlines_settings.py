from __future__ import annotations

import datetime as dt

import pytest

from monitor import settings
from monitor.deadlines import deadline
from monitor.errors import SettingsError


@pytest.mark.parametrize(
    ("level", "year", "override", "expected"),
    [
        ("department", 2023, None, dt.date(2024, 1, 31)),
        ("county", 2023, None, dt.date(2024, 3, 31)),
        ("city", 2023, None, dt.date(2024, 3, 31)),
        ("province", 2019, None, dt.date(2020, 3, 31)),
        ("township", 2023, None, dt.date(2024, 1, 31)),
        ("township", 2023, "02-15", dt.date(2024, 2, 15)),
        ("department", 2023, "03-31", dt.date(2024, 3, 31)),
        # the 2008 条例: 31 March for everyone, local overrides do not apply yet
        ("department", 2018, None, dt.date(2019, 3, 31)),
        ("township", 2018, "01-15", dt.date(2019, 3, 31)),
        # a leap-day deadline: 02-29 in a leap year, the last day of February otherwise
        ("township", 2023, "02-29", dt.date(2024, 2, 29)),
        ("township", 2022, "02-29", dt.date(2023, 2, 28)),
    ],
)
def test_deadline(level: str, year: int, override: str | None, expected: dt.date) -> None:
    assert deadline(level, year, override) == expected


def test_bad_override_names_the_value() -> None:
    with pytest.raises(SettingsError, match="02-30"):
        deadline("township", 2023, "02-30")


def test_defaults_are_those_of_the_issue() -> None:
    s = settings.load({})
    assert (s.grace_days, s.copy_threshold, s.jump.ratio, s.jump.min_change) == (7, 0.9, 3.0, 20.0)
    assert set(s.kinds) == set(settings.ALL_KINDS)


def test_per_figure_jump_rule_inherits_the_default() -> None:
    s = settings.load({"jump": {"ratio": 4, "figures": {"fees_amount": {"min_change": 5}}}})
    assert s.jump_rule("fees_amount") == settings.JumpRule(ratio=4, min_change=5)
    assert s.jump_rule("new_applications") == settings.JumpRule(ratio=4, min_change=20)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"grace_days": -1}, "grace_days"),
        ({"grace_days": "7"}, "grace_days"),
        ({"kinds": ["missing", "nonsense"]}, "kinds"),
        ({"copied": {"threshold": 1.5}}, "copied.threshold"),
        ({"jump": {"figures": {"fees_amount": {"ratio": 0.5}}}}, "jump.figures.fees_amount.ratio"),
    ],
)
def test_bad_settings_name_the_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(SettingsError, match=f"monitor.{key}"):
        settings.load(raw)
