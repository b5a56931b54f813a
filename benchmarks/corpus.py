"""A synthetic corpus of N valid posts: realistic length, all measures, images, tags.

Speed measured on one corpus is not speed: posts come in shapes (``SHAPES``), each a different
way editors write, and the bench reports every ratio per shape.

- ``standard``: ~500 words in three to five sections with a list, bold and italics, now and then
  a link; tags comma-separated, the lead image as ``images/….svg``.
- ``varied``: ~400 words, two sections, an inline SVG image and one or two external links in the
  body; tags as a YAML block list, the lead image as ``/images/….svg``, every value quoted.
- ``long``: ~2,000-word reports with eight sections, a table and a quote.

Front matter stays within what both readers understand (Python-Markdown's meta block reads a
block list indented by four spaces as continuation lines), so plain Pelican builds the same files.
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("Stadt", "Landkreis", "Würzburg", "Beteiligung", "Bürgerinnen", "Bürger", "digital",
         "analog", "Verwaltung", "Daten", "Quartier", "Treffpunkt", "Newsroom", "Werkstatt",
         "Idee", "Projekt", "Umsetzung", "Förderung", "Modell", "offen", "gemeinsam", "Zukunft",
         "Region", "Angebot", "Austausch", "Dialog", "Technik", "Menschen", "Zugang", "sozial")
TAGS = ["Beteiligung", "Daten", "Mobilität", "Bildung", "Kultur", "Verwaltung", "Open Source",
        "Zukunftswerkstatt", "Newsroom", "Umsetzung", "Förderung", "Barrierefreiheit"]


START = datetime(2023, 1, 2, 9, 0)
END = datetime(2026, 10, 1, 9, 0)  # before the build clock of the bench: every post is published


def post_date(index: int, count: int) -> datetime:
    """Post ``index`` of ``count``: eleven hours apart, closer where that would reach past END."""
    step = min(timedelta(hours=11), (END - START) / count)
    date = START + step * index
    if date.hour in (2, 3):  # never a DST edge in the synthetic data
        date += timedelta(hours=2)
    return date.replace(second=0, microsecond=0)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


LINKS = ("https://www.wuerzburg.de/", "https://www.landkreis-wuerzburg.de/",
         "https://www.smart-city-dialog.de/")


def _paragraph(rng: random.Random) -> str:
    """Sentences as posts have them: now and then a word in bold or italics, a link."""
    sentences = [_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 5))]
    if rng.random() < 0.5:
        words = sentences[0].split(" ")
        at = rng.randrange(1, len(words))
        words[at] = f"**{words[at]}**" if rng.random() < 0.5 else f"*{words[at]}*"
        sentences[0] = " ".join(words)
    if rng.random() < 0.3:
        sentences[-1] += f" Mehr dazu [auf dieser Seite]({rng.choice(LINKS)})."
    return " ".join(sentences)


def write_events(target: Path, count: int, rng: random.Random, measures: list[str]) -> None:
    """``count`` participation dates in content/termine/: timed and all-day, some moved or
    cancelled, spread over the corpus' years (past and upcoming)."""
    (target / "termine").mkdir(parents=True, exist_ok=True)
    start = datetime(2023, 1, 5, 17, 0)
    step = timedelta(days=9) if count <= 200 else (END - start) / count  # large corpora: denser
    for index in range(count):
        begin = (start + step * index).replace(hour=17, minute=0)
        extra = ""
        if index % 10 == 3:
            extra = "status: abgesagt\n"
        elif index % 10 == 7:
            extra = f"status: verschoben\nprevious_starts: [{begin - timedelta(days=7):%Y-%m-%d %H:%M}]\n"
        when = (f"start: {begin:%Y-%m-%d}\nend: {begin + timedelta(days=1):%Y-%m-%d}\n" if index % 6 == 0
                else f"start: {begin:%Y-%m-%d %H:%M}\nend: {begin + timedelta(hours=2):%Y-%m-%d %H:%M}\n")
        text = ("---\n"
                f"title: \"{_sentence(rng, rng.randint(3, 6))[:-1]} ({index})\"\n{when}"
                f"date: {begin - timedelta(days=30):%Y-%m-%d 09:00}\n"
                f"measure: {measures[index % len(measures)]}\n"
                f"summary: \"{_sentence(rng, 16)}\"\n"
                "place_name: Coworking Newsroom\nplace_street: Sanderstraße 4\nplace_town: Würzburg\n"
                f"accessibility: [stufenlos]\n{extra}---\n\n{_paragraph(rng)}\n")
        (target / "termine" / f"{begin:%Y-%m}-termin-{index:05d}.md").write_text(text, encoding="utf-8")


SHAPES = ("standard", "varied", "long", "translated")
# The "translated" shape: standard posts, a fifth of them translated into every other language
# of the sample's programme data (English, Ukrainian, Turkish, Arabic, Leichte Sprache).
TRANSLATED_EVERY = 5
LANGUAGES = ("en", "uk", "tr", "ar", "ls")


def _body(rng: random.Random, shape: str, images: list[str]) -> list[str]:
    """The sections of one post of ``shape``."""
    body: list[str] = []
    if shape == "varied":
        for section in range(2):
            body.append(f"## {_sentence(rng, 4)[:-1]}")
            body += [_paragraph(rng) for _ in range(3)]
            if section == 0:
                image = rng.choice(images)
                body.append(f"![Grafik {image.removesuffix('.svg')}]({{static}}/images/{image})")
        for link in rng.sample(LINKS, rng.randint(1, 2)):
            body.append(f"{_sentence(rng, 10)} Siehe [{_sentence(rng, 3)[:-1]}]({link}).")
        return body
    sections = rng.randint(3, 5) if shape == "standard" else 8
    for section in range(sections):
        body.append(f"## {_sentence(rng, 4)[:-1]}")
        body += [_paragraph(rng) for _ in range(rng.randint(1, 3) if shape == "standard" else 4)]
        if section == 1:
            body.append("\n".join(f"- {_sentence(rng, 6)}" for _ in range(4)))
        if shape == "long" and section == 3:
            body.append("| Jahr | Angebot | Teilnehmende |\n|---|---|--:|\n" + "\n".join(
                f"| {2022 + row} | {_sentence(rng, 3)[:-1]} | {rng.randint(10, 400)} |" for row in range(5)))
        if shape == "long" and section == 5:
            body.append("> " + _sentence(rng, 24))
    return body


def _front_matter(rng: random.Random, shape: str, index: int, date: datetime, title: str, measure: str,
                  image: str) -> list[str]:
    tags = rng.sample(TAGS, 3)
    if shape != "varied":
        return [f"title: \"{title}\"", f"slug: beitrag-{index:05d}", f"date: {date:%Y-%m-%d %H:%M}",
                f"measure: {measure}", f"summary: \"{_sentence(rng, 20)}\"", "author: Redaktion",
                f"tags: {', '.join(tags)}", f"image: images/{image}",
                f"image_alt: \"Illustration {image.removesuffix('.svg')}\""]
    return [f"title: \"{title}\"", f"slug: \"beitrag-{index:05d}\"", f"date: {date:%Y-%m-%d %H:%M}",
            f"measure: \"{measure}\"", f"summary: \"{_sentence(rng, 20)}\"", "author: \"Redaktion\"",
            "tags:", *[f"    - \"{tag}\"" for tag in tags], f"image: \"/images/{image}\"",
            f"image_alt: \"Illustration {image.removesuffix('.svg')}\""]


def write_corpus(target: Path, count: int, seed: int = 1, shape: str = "standard") -> list[Path]:
    """Write ``count`` posts of ``shape`` (``SHAPES``), a fifth as many events, images and
    programme data."""
    rng = random.Random(seed)
    programme = yaml.safe_load((ROOT / "content" / "programme.yml").read_text(encoding="utf-8"))
    measures = [m["slug"] for m in programme["measures"]]
    images = sorted(p.name for p in (ROOT / "content" / "images").glob("*.svg") if p.name != "logo.svg")
    if target.exists():
        shutil.rmtree(target)
    (target / "posts").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "images", target / "images")
    shutil.copy(ROOT / "content" / "programme.yml", target / "programme.yml")
    paths = []
    for index in range(count):
        date = post_date(index, count)
        title = f"{_sentence(rng, rng.randint(4, 8))[:-1]} ({index})"
        image = rng.choice(images)
        base = "standard" if shape == "translated" else shape
        body = _body(rng, base, images)
        measure = measures[index % len(measures)]
        lines = ["---", *_front_matter(rng, base, index, date, title, measure, image), "---", "",
                 "\n\n".join(body), ""]
        path = target / "posts" / f"{date:%Y-%m-%d}-beitrag-{index:05d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
        if shape == "translated" and index % TRANSLATED_EVERY == 0:
            for language in LANGUAGES:
                # lang: and slug: as well: plain Pelican, the baseline, then pairs them the same way.
                translated = ["---", f"title: \"{title} [{language}]\"", f"lang: {language}",
                              f"slug: beitrag-{index:05d}", f"summary: \"{_sentence(rng, 20)}\"",
                              f"date: {date:%Y-%m-%d %H:%M}", "---", "", "\n\n".join(body), ""]
                path.with_name(f"{path.stem}.{language}.md").write_text("\n".join(translated),
                                                                       encoding="utf-8")
    write_events(target, count // 5, rng, measures)
    write_issues(target, count)
    return paths


POSTS_PER_ISSUE = 10
ISSUE_EVERY = 25  # posts: one issue per 25 posts carries the newest ten of them


def write_issues(target: Path, count: int) -> None:
    """The newsletter record: an issue for every 25 posts (each printed in two sizes)."""
    issues = []
    for number, last in enumerate(range(ISSUE_EVERY - 1, count, ISSUE_EVERY), start=1):
        sent = post_date(last, count) + timedelta(hours=5)
        issues.append({"number": number, "date": f"{sent:%Y-%m-%dT%H:%M}",
                       "subject": f"Ausgabe {number}", "preheader": "Neues aus den Maßnahmen",
                       "posts": [f"beitrag-{i:05d}" for i in range(last - POSTS_PER_ISSUE + 1, last + 1)]})
    (target / "newsletter").mkdir(exist_ok=True)
    (target / "newsletter" / "issues.yml").write_text(yaml.safe_dump({"issues": issues}, allow_unicode=True),
                                                      encoding="utf-8")


def phone_photo(path: Path) -> None:
    """4000×3000 like a phone's camera, with texture (a flat colour would compress to nothing)
    and EXIF a camera writes (maker, model, a comment)."""
    from PIL import Image, ImageDraw

    rng = random.Random(7)
    small = Image.new("RGB", (400, 300))
    draw = ImageDraw.Draw(small)
    for _ in range(900):
        x, y = rng.randrange(400), rng.randrange(300)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, y, x + rng.randrange(5, 60), y + rng.randrange(5, 60)), fill=colour)
    photo = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((4000, 3000), 18).convert("RGB")
    photo = Image.blend(photo, noise, 0.15)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x9286] = "Beispielkamera", "Modell 12", "Kommentar der Kamera"
    photo.save(path, "JPEG", quality=92, exif=exif)
