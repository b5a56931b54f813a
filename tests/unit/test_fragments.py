"""Header and footer are rendered once per build and shared; a partial cannot read page values."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from plugins.web.fragments import FragmentError, Fragments

PAGE = '{{ fragment("nav.html", current=current) }}|{{ title }}'


def environment(nav: str) -> Environment:
    env = Environment(loader=DictLoader({"page.html": PAGE, "nav.html": nav}), autoescape=True)
    env.globals["fragment"] = Fragments(env)
    return env


def test_each_key_gets_its_own_copy_and_the_page_its_own_values() -> None:
    env = environment('{{ programme }}:{% if current == "a" %}[a]{% endif %}{{ SITEURL }}')
    page = env.get_template("page.html")
    assert page.render(SITEURL="/x", programme="P", current="a", title="T1") == "P:[a]/x|T1"
    assert page.render(SITEURL="/x", programme="P", current="b", title="T2") == "P:/x|T2"
    assert page.render(SITEURL="/y", programme="P", current="a", title="T3") == "P:[a]/y|T3"


def test_a_partial_that_reads_a_page_value_stops_the_build_with_its_name() -> None:
    env = environment("{{ current }} {{ title }}")
    with pytest.raises(FragmentError, match="title"):
        env.get_template("page.html").render(SITEURL="", programme="P", current="a", title="T")


def test_what_a_partial_renders_is_escaped_once() -> None:
    env = environment("{{ current }}")
    assert env.get_template("page.html").render(SITEURL="", programme="P", current="<b>",
                                                title="") == "&lt;b&gt;|"
