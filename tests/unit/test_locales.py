"""Link previews name each page's locale; Babel's global tables behind it are let go before the
build forks its workers (they would load them again, megabytes each)."""

from __future__ import annotations

import babel.core
from markupsafe import Markup

from plugins.programme.catalogues import og_locale, settle_locales


def test_locales_are_worked_out_once_and_babels_global_tables_let_go() -> None:
    settle_locales(["de", "uk", "ar"])
    # Babel's own lazy cache of global.dat (private: pinned here, as the build relies on it).
    assert babel.core._global_data is None
    # What a template passes (Markup) finds the same answer without loading the tables again.
    assert og_locale(Markup("uk")) == "uk_UA" and og_locale("de") == "de_DE"
    assert babel.core._global_data is None
    assert og_locale("ar") == "ar_EG"


def test_pages_write_dates_times_and_plurals_as_babel_does_without_its_full_locale_data() -> None:
    """The build keeps only what pages read of each language's CLDR data (a Babel locale is
    megabytes; each forked worker would load it again): the dates must stay Babel's own."""
    import datetime
    import zoneinfo

    import babel
    import babel.localedata
    from babel.dates import format_date, format_time

    from plugins.programme.catalogues import date_in, lean_locale, plural_categories, when_in

    settle_locales(["de", "en", "uk", "tr", "ar", "fa", "zh-Hant"])
    assert babel.localedata._cache == {}  # private, pinned: the full locales are let go
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    for tag in ("en", "uk", "tr", "ar", "fa"):
        full = babel.Locale.parse(tag)
        for month in range(1, 13):
            moment = datetime.datetime(2026, month, month + 14, 9 + month, 5, tzinfo=berlin)
            assert date_in(tag, tag, moment) == format_date(moment, format="long", locale=full)
            assert date_in(tag, tag, moment.date()) == format_date(moment.date(), format="long", locale=full)
            when = when_in(tag, tag, moment)
            assert format_date(moment, format="full", locale=full) in when
            # Babel's time, its spaces no-break ("10:05 ص" never splits before "ص").
            assert format_time(moment, format="short", locale=full).replace(" ", "\u00a0") in when
    # Day periods by rule ("evening", "midnight"), as Traditional Chinese writes its times.
    for hour in (0, 12, 19):
        moment = datetime.datetime(2026, 3, 8, hour, 5, tzinfo=berlin)
        assert (format_time(moment, format="short", locale="zh_Hant").replace(" ", "\u00a0")
                in when_in("zh", "zh-Hant", moment))
    assert date_in("uk", "uk", datetime.date(2026, 3, 8)) == "8 березня 2026\u202fр."
    assert when_in("ar", "ar", datetime.datetime(2026, 3, 8, 18, 30, tzinfo=berlin)).startswith("الأحد")
    assert [name for name, _ in plural_categories("uk")] == ["many", "one", "few"]
    assert lean_locale("xx") is None and date_in("xx", "xx", datetime.date(2026, 3, 8)) == "2026-03-08"
