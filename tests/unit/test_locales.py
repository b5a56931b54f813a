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
