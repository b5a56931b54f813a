"""Settings are read once per command, the environment included (pipeline/settings.py): what
each variable becomes, that a value the build cannot use is refused by name, and that nothing
else reads the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.settings import DEVELOPMENT, LIVE, EnvironmentValueError, load_settings


def test_the_environment_becomes_settings_and_overrides_win() -> None:
    env = {"SLS_SEARCH_INDEX": "0", "SLS_PRINT": "0", "SLS_NOW": "2026-12-01T12:00",
           "SLS_SEARCH_PART_PAGES": "50", "SLS_PARALLEL_MIN_FILES": "1", "SITEURL": "https://beispiel.de/"}
    settings = load_settings(DEVELOPMENT, env=env)
    assert (settings["SEARCH_INDEX"], settings["PRINT_EDITIONS"]) == (False, False)
    assert (settings["BUILD_CLOCK"], settings["SEARCH_PART_PAGES"]) == ("2026-12-01T12:00", 50)
    assert settings["PARALLEL_MIN_FILES"] == 1
    # Development: absolute addresses follow SITEURL, the pages stay relative to the preview.
    assert (settings["PUBLIC_URL"], settings["SITEURL"]) == ("https://beispiel.de", "")
    assert load_settings(DEVELOPMENT, env=env, overrides={"SEARCH_INDEX": True})["SEARCH_INDEX"] is True
    # Without the variables: the settings file's values.
    plain = load_settings(DEVELOPMENT, env={})
    assert (plain["SEARCH_INDEX"], plain["PRINT_EDITIONS"], plain["BUILD_CLOCK"]) == (True, True, None)
    assert plain["PUBLIC_URL"] == "http://127.0.0.1:8000"


def test_publishing_takes_the_address_from_the_environment_only() -> None:
    live = load_settings(LIVE, env={"SITEURL": "https://stadtlandsmart.example/"})
    assert live["SITEURL"] == live["PUBLIC_URL"] == "https://stadtlandsmart.example"
    assert load_settings(LIVE, env={})["SITEURL"] == ""  # publishing refuses that (publish_check)


def test_the_content_folder_comes_from_the_command_line_before_the_environment(tmp_path: Path) -> None:
    other = tmp_path / "inhalt"
    other.mkdir()
    settings = load_settings(DEVELOPMENT, env={"SLS_CONTENT": str(other)})
    assert settings["PATH"] == str(other.resolve())
    assert settings["PROGRAMME_FILE"] == str(other.resolve() / "programme.yml")
    chosen = load_settings(DEVELOPMENT, content=ROOT / "content", env={"SLS_CONTENT": str(other)})
    assert chosen["PATH"] == str((ROOT / "content").resolve())


@pytest.mark.parametrize(("name", "value"), [("SLS_NOW", "gestern"), ("SLS_SEARCH_PART_PAGES", "viele"),
                                             ("SLS_PARALLEL_MIN_FILES", "-3")])
def test_a_value_the_build_cannot_use_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(EnvironmentValueError, match=f"Umgebungsvariable {name}=") as refused:
        load_settings(DEVELOPMENT, env={name: value})
    assert "korrigiere oder entferne sie" in str(refused.value)


def test_no_settings_file_and_no_plugin_reads_the_environment() -> None:
    # The sending providers take their configuration (secrets) from the environment on purpose.
    reading = re.compile(r"os\.environ|getenv\(")
    files = [ROOT / "pelicanconf.py", ROOT / "publishconf.py",
             *(p for p in (ROOT / "plugins").rglob("*.py") if "providers" not in p.parts)]
    found = [str(p.relative_to(ROOT)) for p in files if reading.search(p.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("value", ['https://x.de/"><script>alert(1)</script>', "javascript:alert(1)",
                                   "https://a b.de", "https://x.de/\nSitemap: https://evil.example/",
                                   "https://x.de/?q=1", "https://x.de/#top", "https://x.de/$host",
                                   "ftp://x.de", "x.de", "https://x.de/'onload='",
                                   "https://x.de:99999/", "https://x.de:0/", "https://[1:2]/"])
def test_a_site_address_that_could_break_out_of_a_page_or_a_server_file_is_refused(value: str) -> None:
    with pytest.raises(EnvironmentValueError, match="keine Adresse einer Website"):
        load_settings(DEVELOPMENT, env={"SITEURL": value})
    with pytest.raises(EnvironmentValueError, match="SITEURL"):
        load_settings(LIVE, env={"SITEURL": value})


@pytest.mark.parametrize("value", ["https://beteiligung.wuerzburg.de", "http://127.0.0.1:8001/",
                                   "https://example.de/smart-city/", "https://[::1]:8443"])
def test_real_site_addresses_are_taken(value: str) -> None:
    assert load_settings(LIVE, env={"SITEURL": value})["SITEURL"] == value.rstrip("/")


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("false", False), ("Off", False),
                                                 ("nein", False), ("1", True), ("true", True), ("ja", True)])
def test_switches_mean_what_they_say(value: str, expected: bool) -> None:
    assert load_settings(DEVELOPMENT, env={"SLS_PRINT": value})["PRINT_EDITIONS"] is expected


@pytest.mark.parametrize(("name", "value"), [
    ("SLS_PRINT", "vielleicht"), ("SLS_PRINT", "2"), ("SLS_SEARCH_INDEX", "nö"),
    ("SLS_SEARCH_PART_PAGES", "²"), ("SLS_SEARCH_PART_PAGES", "٣"), ("SLS_SEARCH_PART_PAGES", "1" * 5000),
    ("SLS_SEARCH_PART_PAGES", "-5"), ("SLS_SEARCH_PART_PAGES", "1e3"), ("SLS_PARALLEL_MIN_FILES", "0")])
def test_unusable_switches_and_counts_are_refused_in_german(name: str, value: str) -> None:
    with pytest.raises(EnvironmentValueError, match=f"Umgebungsvariable {name}=.*(keine positive|weder an)"):
        load_settings(DEVELOPMENT, env={name: value})


@pytest.mark.parametrize("line", ['PRINT_ISSUES = "drei"', "PRINT_ISSUES = -1", "PRINT_POSTER_DAYS = 2.5",
                                  "PRINT_POSTER_DAYS = True", "PRINT_ISSUES = 10**9",
                                  "PRINT_POSTER_DAYS = None"])
def test_what_goes_on_paper_is_a_whole_number_in_range_or_refused(tmp_path: Path, line: str) -> None:
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *  # noqa\n{line}\n", encoding="utf-8")
    with pytest.raises(EnvironmentValueError, match=r"settings\.py: PRINT_\w+ = .* ist keine ganze Zahl"):
        load_settings(settings, env={})
    settings.write_text("from pelicanconf import *  # noqa\nPRINT_ISSUES = 0\nPRINT_POSTER_DAYS = 30\n",
                        encoding="utf-8")
    assert load_settings(settings, env={})["PRINT_ISSUES"] == 0
