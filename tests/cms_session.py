"""Shared by the CMS round trips: a site built with the test-repo backend, served on loopback,
a Chromium, and helpers to drive Sveltia's form and read what it saved (OPFS).

The round trips are split over two modules so that pytest-xdist runs them on both workers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, PROGRAMME, ROOT, run_build
from PIL import Image
from waiting import poll as until

from checks.server import StaticServer, free_port

# The test-repo backend keeps the repository in the origin-private file system. The CMS may be
# writing while we read: an entry that vanishes between listing and reading is skipped.
READ_REPOSITORY = """async () => {
  const files = {};
  async function walk(folder, prefix) {
    for await (const [name, entry] of folder.entries()) {
      try {
        if (entry.kind === 'directory') await walk(entry, prefix + name + '/');
        else files[prefix + name] = await (await entry.getFile()).text();
      } catch (error) { /* written right now: read again on the next poll */ }
    }
  }
  await walk(await navigator.storage.getDirectory(), '');
  return files;
}"""
SIGN_IN = {"de-DE": "Mit Test-Repository arbeiten", "de-AT": "Mit Test-Repository arbeiten",
           "de-CH": "Mit Test-Repository arbeiten", "en-US": "Work with Test Repository"}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cms-roundtrip") / "content"
    shutil.copytree(FIXTURES / "good", folder)
    shutil.copyfile(ROOT / "content" / "images" / "logo.svg", folder / "images" / "logo.svg")
    data = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    data["cms"] = {"backend": "test-repo", "repo": "beispiel/stadt-land-smart", "branch": "main",
                   "editorial_workflow": False}  # the test backend saves directly
    (folder / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(content: Path) -> Iterator[str]:
    run = run_build(content.parent, content, content.parent / "site", programme=content / "programme.yml")
    assert run.code == 0, run.stderr
    with StaticServer(content.parent / "site", free_port()) as base:
        yield base


def field(page, name: str):
    # The preview pane repeats every field; the editor's comes first.
    return page.locator(f'section[data-key-path="{name}"]').first


def open_new_post(page, served: str) -> None:
    page.goto(served + "/admin/")
    page.get_by_text("Mit Test-Repository arbeiten").first.click()
    page.get_by_role("button", name="Neu").first.click()


def poll(probe, done=bool, seconds: float = 30):
    """Ask ``probe()`` every 100 ms until ``done`` accepts its answer (at most ``seconds``: the
    CMS writes to OPFS and renders its preview a moment later, later still on a busy machine);
    the last answer either way."""
    answers = []

    def accepted() -> bool:
        answers[:] = [probe()]
        return bool(done(answers[0]))

    until(accepted, seconds, interval=0.1)
    return answers[0]


def saved_posts(page) -> dict[str, str]:
    return {name: text for name, text in page.evaluate(READ_REPOSITORY).items() if name.endswith(".md")}


READ_FILES = """async () => {
  const files = {};
  async function walk(folder, prefix) {
    for await (const [name, entry] of folder.entries()) {
      try {
        if (entry.kind === 'directory') { await walk(entry, prefix + name + '/'); continue; }
        const bytes = new Uint8Array(await (await entry.getFile()).arrayBuffer());
        files[prefix + name] = btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
      } catch (error) { /* written right now: read again on the next poll */ }
    }
  }
  await walk(await navigator.storage.getDirectory(), '');
  return files;
}"""


def phone_photo(path: Path) -> Path:
    """A JPEG as a phone writes it: with the place it was taken in its EXIF data."""
    exif = Image.Exif()
    exif[0x010F] = "Telefon"
    exif[0x8825] = {1: "N", 2: (49.0, 47.0, 30.0), 3: "E", 4: (9.0, 55.0, 50.0)}
    Image.new("RGB", (640, 360), (30, 90, 160)).save(path, exif=exif, quality=90)
    return path


def scrolled_to(page, name: str):
    """The editor's field ``name``; the form creates fields as the pane scrolls to them."""
    page.mouse.move(300, 500)

    def shown() -> bool:
        if field(page, name).count():
            return True
        page.mouse.wheel(0, 500)
        return False

    until(shown, 2, interval=0.1)
    return field(page, name)


def filled(page, values: dict[str, str]) -> None:
    """Fill the text inputs ``values`` names until all of them keep their value: the form
    sometimes re-renders a field filled before it settled and drops what was typed (then
    saving stops at "Dieses Feld ist erforderlich", as it would for an editor typing that fast)."""
    lost: list[str] = []

    def kept() -> bool:
        lost[:] = [name for name, value in values.items()
                   if field(page, name).locator("input").first.input_value() != value]
        for name in lost:
            field(page, name).locator("input").first.fill(values[name])
        return not lost

    if not until(kept, 2, interval=0.2):
        raise AssertionError(f"the CMS form kept dropping {lost}")


def type_body(page, text: str) -> None:
    """Type into the rich-text body, as an editor does (the field exists once scrolled to)."""
    page.mouse.move(300, 500)
    body = page.locator('section[data-key-path="body"] [contenteditable="true"]').first

    def shown() -> bool:
        page.mouse.wheel(0, 700)
        return bool(body.count())

    until(shown, 1.2, interval=0.1)
    body.click()
    page.keyboard.type(text)
