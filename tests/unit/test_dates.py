"""Publication dates as editors write them; Berlin wall-clock times that do not exist are refused."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from plugins.programme.dates import DateProblem, parse_date


def offset(moment: datetime) -> timedelta | None:
    return moment.utcoffset()


def test_a_naive_time_is_berlin_time_in_summer_and_in_winter() -> None:
    assert offset(parse_date("2024-07-01 10:00")) == timedelta(hours=2)
    assert offset(parse_date("2024-01-15 10:00")) == timedelta(hours=1)


def test_a_date_alone_means_midnight_and_an_explicit_offset_is_kept() -> None:
    assert parse_date("2022-06-01") == datetime.fromisoformat("2022-06-01T00:00+02:00")
    assert parse_date("2022-06-01T10:00+00:00").utcoffset() == timedelta(0)


@pytest.mark.parametrize(("raw", "message", "fix"), [
    ("01.06.2022 10:00", "nicht im Format JJJJ-MM-TT", "schreibe „2022-06-01 10:00“"),
    ("1.6.2022", "nicht im Format JJJJ-MM-TT", "schreibe „2022-06-01“"),
    ("morgen", "kein gültiges Datum", "JJJJ-MM-TT"),
    ("2024-03-31 02:30", "gibt es am 2024-03-31 nicht", "„2024-03-31 03:30“"),
    ("2024-10-27 02:30", "zweimal", "„2024-10-27T02:30+01:00“ (Winterzeit)"),
])
def test_mistakes_name_the_problem_and_the_fix(raw: str, message: str, fix: str) -> None:
    with pytest.raises(DateProblem) as caught:
        parse_date(raw)
    assert message in caught.value.message and fix in caught.value.fix


def test_the_hour_after_the_autumn_change_is_unambiguous() -> None:
    assert offset(parse_date("2024-10-27 03:30")) == timedelta(hours=1)
