"""Programme data is content: every value has a kind (web address, e-mail, colour, file, one line
of text) and a value of the wrong kind is refused at its line by the build and by the content
check alike, before it can reach a page, an email, the CMS or a server configuration file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import refused_by_build_and_check

from plugins.web.hosting import Addresses, HeaderPolicy, apache_htaccess, netlify_headers, nginx_include

# (a line of the sample programme data, what an attacker or a slip makes of it, what is said)
HOSTILE = {
    "script link": ('      url: "[PLATZHALTER: Internetadresse der Stadt Würzburg]"',
                    '      url: "javascript:alert(document.cookie)"',
                    "programme.organisations.0.url: „javascript:alert(document.cookie)“ ist keine "
                    "Internetadresse"),
    "css from a colour": ('      border: "#c9d0d8"',
                          '      border: "#fff;} body{background:url(https://t.example/p.gif)"',
                          "design.colors.light.border: „#fff;} body{background:url(https://t.example/p.gif)“ "
                          "ist keine Farbe im Format #rrggbb"),
    "css from a colour's name": ('      border: "#c9d0d8"',
                                 '      "x:red}html{background:url(https://t.example/p.gif)}:root{--y": '
                                 '"#ffffff"',
                                 "design.colors.light: Farbe „x:red}html{"),
    "a colour scheme that is not there": ("    dark:", '    "dark{}body{color:red}":',
                                          "design.colors: Farbschema „dark{}body{color:red}“ gibt es nicht"),
    "server directive": ('    action: "[PLATZHALTER: Adresse des Anmeldeformulars, z. B. '
                         'https://newsletter.example.de/subscription/form]"',
                         '    action: "https://x.example\\";return 301 https://evil.example;#/f"',
                         "newsletter.signup.action: „https://x.example\";return 301 "
                         "https://evil.example;#/f“ ist keine Internetadresse"),
    "markup in the CMS": ("  base_url: https://gitlab.opencode.de",
                          '  base_url: "https://gitlab.opencode.de\\"><meta http-equiv=refresh content=0>"',
                          "cms.base_url: „https://gitlab.opencode.de\"><meta http-equiv=refresh content=0>“ "
                          "ist keine Internetadresse"),
    "a line break in a name": ("  name: stadt.land.smart",
                               '  name: "stadt.land.smart\\n<meta http-equiv=refresh content=0>"',
                               "programme.name: Zeilenumbruch in einer einzeiligen Angabe"),
    "a header in an address": ('  from_email: "[PLATZHALTER: Absenderadresse des Newsletters]"',
                               '  from_email: "a@example.org\\r\\nBcc: alle@example.org"',
                               "newsletter.from_email: Zeilenumbruch in einer einzeiligen Angabe"),
    "a Unicode line break in a name": ("  name: stadt.land.smart", '  name: "stadt\\u2028land.smart"',
                                       "programme.name: Zeilenumbruch in einer einzeiligen Angabe"),
    "a next-line character in the sender": (
        '  from_name: stadt.land.smart', '  from_name: "Evil\\x85Bcc: v@example.org"',
        "newsletter.from_name: Zeilenumbruch in einer einzeiligen Angabe"),
    "a branch the CMS cannot edit": ("  branch: main", '  branch: "main ../../x"',
                                     "cms.branch: „main ../../x“ ist kein Name eines Git-Zweigs"),
    "markup for a list's id": ('      - uuid: "[PLATZHALTER: UUID der Newsletter-Liste in listmonk]"',
                               '      - uuid: "x\\" onclick=\\"alert(1)"',
                               "newsletter.signup.lists.0.uuid: „x\" onclick=\"alert(1)“ ist keine Kennung "
                               "einer Liste"),
    "a logo from elsewhere": ("  logo: images/logo.svg", "  logo: https://tracker.example/logo.svg",
                              "design.logo: „https://tracker.example/logo.svg“ ist kein Dateiname im "
                              "Inhaltsordner"),
    "a logo that is not there": ("  logo: images/logo.svg", "  logo: images/wappen.svg",
                                 "design.logo: Datei „images/wappen.svg“ gibt es im Inhaltsordner nicht"),
    "a logo that is no picture": ("  logo: images/logo.svg", "  logo: pages/impressum.md",
                                  "design.logo: „pages/impressum.md“ ist keine Datei vom Typ .svg"),
    "a control character": ('    title: "Meet Me"', '    title: "Meet\\a Me"',
                            "measures.1.title: unsichtbares Steuerzeichen U+0007"),
    "a list for a sentence": ("  motto: Menschlich aus der Krise", "  motto: [Menschlich, aus der Krise]",
                              "programme.motto: ist kein Text, sondern eine Liste"),
    "a number for a sentence": ("  tagline: Smart City für Stadt und Landkreis Würzburg", "  tagline: 2021",
                                "programme.tagline: ist kein Text, sondern eine Zahl"),
    "a noncharacter": ('    title: "Wie geht\'s"', '    title: "Wie geht\\uFFFE\'s"',
                       "measures.2.title: unsichtbares Steuerzeichen U+FFFE"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_value_of_the_wrong_kind_is_refused_at_its_line_by_build_and_check(
        tmp_path: Path, good_content: Path, kind: str) -> None:
    original, hostile, words = HOSTILE[kind]
    programme = good_content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    assert original in text, original
    text = text.replace(original, hostile, 1)
    programme.write_text(text, encoding="utf-8")
    line = text.splitlines().index(hostile) + 1
    expected = f"content/programme.yml:{line}: {words}"

    run, checked = refused_by_build_and_check(tmp_path, good_content, expected, programme)
    assert [row for row in run.stderr.splitlines() if row.startswith("content/programme.yml:")]
    assert sum(row.startswith(f"content/programme.yml:{line}: ") for row in checked) == 1, checked


def test_server_configuration_takes_no_directive_from_any_value() -> None:
    """The last line of defence, should a value ever pass unchecked: quotes, line breaks, `$`,
    `;`, `#` and braces in header values and addresses reach no server file as themselves."""
    evil = 'x" always;\n  return 301 https://evil.example; # $host {'
    policy = HeaderPolicy({"Content-Security-Policy": evil}, {}, {}, {})
    moved = Addresses({f"alt {evil}/": "neu/"}, [f"weg {evil}/"])

    nginx = nginx_include(policy, moved).splitlines()
    assert not any(line.strip().startswith("return 301 https://evil") for line in nginx)
    header = next(line for line in nginx if line.startswith("add_header Content-Security-Policy"))
    assert header.count('"') == 2 and header.endswith('" always;') and "$" not in header
    locations = [line for line in nginx if line.startswith(("location = /alt", "location = /weg"))]
    assert len(locations) == 2
    for line in locations:
        assert line.endswith(" {") and line.count(" ") == 3 and not set(line) & set('";#$\\')

    apache = apache_htaccess(policy, moved).splitlines()
    header = next(line for line in apache if "Header always set Content-Security-Policy" in line)
    assert header.count('"') == 2 and header.endswith('"')
    redirects = [line for line in apache if line.startswith("Redirect ")]
    assert len(redirects) == 2 and all(line.count('"') in (2, 4) and "$" not in line for line in redirects)

    netlify = netlify_headers(policy, [f"images/a {evil}.svg"]).splitlines()
    assert not any(line.strip().startswith("return") for line in netlify)
    assert all(" " not in line for line in netlify if line.startswith("/"))
