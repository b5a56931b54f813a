"""The deploy script (.ci/deploy, called by both pipelines) against a real sshd on loopback, with
real ssh and rsync: releases, the atomic switch, pinned host keys, hostile settings, and a deploy
under load through a real nginx that no reader notices."""

from __future__ import annotations

import base64
import http.client
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, copy_good_content, run_build
from nginx_site import nginx_serving
from ssh_server import SshServer, keygen, sshd_serving
from waiting import wait_for

pytestmark = pytest.mark.slow  # a real sshd, ssh, rsync and nginx

DEPLOY = ROOT / ".ci" / "deploy"
STYLE = re.compile(r"theme/css/site\.[0-9a-f]+\.css")


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    with sshd_serving(tmp_path_factory.mktemp("sshd")) as server:
        yield server


def git(work: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=work, capture_output=True, text=True, check=True, timeout=30,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    return done.stdout.strip()


class Pipeline:
    """A checkout with output/ (one commit per deploy) and the server's DEPLOY_PATH below tmp_path."""

    def __init__(self, tmp_path: Path, sshd: SshServer) -> None:
        self.work, self.root, self.scratch = tmp_path / "work", tmp_path / "srv" / "www", tmp_path / "tmp"
        for folder in (self.work / "output", self.scratch, tmp_path / "home"):
            folder.mkdir(parents=True)
        git(self.work, "init", "-q")
        self.key = sshd.client_key
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
            "TMPDIR": str(self.scratch), "LANG": "C.UTF-8",
            "DEPLOY_HOST": sshd.host, "DEPLOY_PORT": str(sshd.port), "DEPLOY_USER": sshd.user,
            "DEPLOY_PATH": str(self.root), "DEPLOY_SSH_KEY": sshd.client_key,
            "DEPLOY_KNOWN_HOSTS": sshd.known_hosts, "KEEP_RELEASES": "5",
        }

    def commit(self) -> str:
        git(self.work, "commit", "-q", "--allow-empty", "-m", "Inhalt")
        return git(self.work, "rev-parse", "HEAD")

    def deploy(self, page: str | None = "<h1>Start</h1>", **env: str) -> subprocess.CompletedProcess[str]:
        """Deploy output/ with ``page`` as its home page ("": none, None: output/ as built)."""
        index = self.work / "output" / "index.html"
        if page == "":
            index.unlink(missing_ok=True)
        elif page is not None:
            index.write_text(page, encoding="utf-8")
        return subprocess.run(["bash", str(DEPLOY), "output"], cwd=self.work, capture_output=True, text=True,
                              timeout=120, env={**self.env, **env})

    def live(self) -> str:
        return os.readlink(self.root / "current")

    def releases(self) -> set[str]:
        return {p.name for p in (self.root / "releases").iterdir()}

    def assert_no_secret_left(self, done: subprocess.CompletedProcess[str]) -> None:
        secret = self.key.splitlines()[1]
        assert secret not in done.stdout + done.stderr
        assert list(self.scratch.iterdir()) == [], "key, host keys and SSH configuration are removed"


@pytest.fixture
def pipeline(tmp_path: Path, sshd: SshServer) -> Pipeline:
    return Pipeline(tmp_path, sshd)


def test_a_deploy_uploads_a_release_and_switches_the_symlink(pipeline: Pipeline) -> None:
    first_commit = pipeline.commit()
    first = pipeline.deploy("<h1>Eins</h1>")
    assert first.returncode == 0, first.stderr
    assert pipeline.live() == f"releases/{first_commit}"
    assert (pipeline.root / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Eins</h1>"
    second_commit = pipeline.commit()
    second = pipeline.deploy("<h1>Zwei</h1>")
    assert second.returncode == 0, second.stderr
    assert pipeline.live() == f"releases/{second_commit}"
    assert (pipeline.root / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Zwei</h1>"
    assert first_commit in pipeline.releases(), "the previous release stays for a rollback"
    for done in (first, second):
        pipeline.assert_no_secret_left(done)


def test_a_rebuild_of_the_live_commit_never_writes_into_the_live_release(pipeline: Pipeline) -> None:
    commit = pipeline.commit()
    assert pipeline.deploy("<h1>Alt</h1>").returncode == 0
    live = pipeline.root / "releases" / commit
    (live / "marker").write_text("served right now", encoding="utf-8")
    again = pipeline.deploy("<h1>Neu gebaut</h1>")  # a schedule or a retry of the same commit
    assert again.returncode == 0, again.stderr
    assert pipeline.live().startswith(f"releases/{commit}-")
    assert (live / "marker").exists() and (live / "index.html").read_text(encoding="utf-8") == "<h1>Alt</h1>"
    assert (pipeline.root / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Neu gebaut</h1>"


def test_only_the_newest_releases_are_kept(pipeline: Pipeline) -> None:
    commits = []
    for number in range(7):
        commits.append(pipeline.commit())
        done = pipeline.deploy(f"<h1>{number}</h1>")
        assert done.returncode == 0, done.stderr
    assert pipeline.releases() == set(commits[-5:])
    assert pipeline.live() == f"releases/{commits[-1]}"
    assert {p.name for p in (pipeline.root / "carried").iterdir()} == set(commits[-5:])


@pytest.fixture(scope="module")
def live_pipeline(tmp_path_factory: pytest.TempPathFactory, sshd: SshServer) -> tuple[Pipeline, str]:
    """One live release for the refusals below (none of them may touch it)."""
    pipeline = Pipeline(tmp_path_factory.mktemp("live"), sshd)
    commit = pipeline.commit()
    assert pipeline.deploy().returncode == 0
    pipeline.commit()
    return pipeline, commit


@pytest.mark.parametrize(("setting", "value", "words"), [
    ("DEPLOY_HOST", "", "DEPLOY_HOST fehlt"),
    ("DEPLOY_PATH", "srv/www", "DEPLOY_PATH ist ungültig"),
    # A newline would add an SSH option; a quote would end the remote command's quoting.
    ("DEPLOY_HOST", "127.0.0.1\n  ProxyCommand touch {marker}", "DEPLOY_HOST ist ungültig"),
    ("DEPLOY_PATH", "/tmp/x'; touch {marker}; '", "DEPLOY_PATH ist ungültig"),
    ("DEPLOY_USER", "root -oProxyCommand=touch_{marker}", "DEPLOY_USER ist ungültig"),
    ("DEPLOY_PORT", "22 -oProxyCommand=x", "DEPLOY_PORT ist ungültig"),
    ("KEEP_RELEASES", "0", "KEEP_RELEASES ist ungültig"),
])
def test_a_missing_or_hostile_setting_is_refused_and_the_live_site_stays(
        live_pipeline: tuple[Pipeline, str], tmp_path: Path, setting: str, value: str, words: str) -> None:
    pipeline, commit = live_pipeline
    marker = tmp_path / "pwned"
    refused = pipeline.deploy(**{setting: value.format(marker=marker)})
    assert refused.returncode != 0 and words in refused.stderr, refused.stderr
    assert not marker.exists()
    assert pipeline.live() == f"releases/{commit}" and pipeline.releases() == {commit}


def test_without_a_built_site_nothing_is_uploaded(pipeline: Pipeline) -> None:
    commit = pipeline.commit()
    assert pipeline.deploy().returncode == 0
    pipeline.commit()
    empty = pipeline.deploy(page="")
    assert empty.returncode != 0 and "index.html fehlt" in empty.stderr
    assert pipeline.live() == f"releases/{commit}" and pipeline.releases() == {commit}


def test_a_server_with_another_host_key_is_refused(pipeline: Pipeline, sshd: SshServer,
                                                   tmp_path: Path) -> None:
    pipeline.commit()
    keygen(tmp_path / "other")  # the pinned key is another server's: a man in the middle
    other = (tmp_path / "other.pub").read_text(encoding="utf-8").split()
    stranger = f"[{sshd.host}]:{sshd.port} {other[0]} {other[1]}"
    refused = pipeline.deploy(DEPLOY_KNOWN_HOSTS=stranger)
    assert refused.returncode != 0 and "host key" in refused.stderr.lower(), refused.stderr
    assert not pipeline.root.exists()


@pytest.mark.parametrize("form", ["text", "base64", "file"])
def test_the_key_works_in_each_form_and_stays_private(pipeline: Pipeline, tmp_path: Path, form: str) -> None:
    key = pipeline.key
    if form == "base64":
        value = base64.b64encode(key.encode()).decode()
    elif form == "file":  # a GitLab variable of type "File": the value is a path
        (tmp_path / "key-variable").write_text(key, encoding="utf-8")
        value = str(tmp_path / "key-variable")
    else:
        value = key.replace("\n", "\r\n")  # pasted from Windows
    pipeline.commit()
    done = pipeline.deploy(DEPLOY_SSH_KEY=value)
    assert done.returncode == 0, done.stderr  # sshd let it in: the key arrived intact and private
    pipeline.assert_no_secret_left(done)


def test_an_older_commit_never_replaces_a_newer_live_release(pipeline: Pipeline) -> None:
    older = pipeline.commit()
    newer = pipeline.commit()
    assert pipeline.deploy("<h1>Neu</h1>").returncode == 0
    git(pipeline.work, "checkout", "-q", older)  # a slow pipeline of the older commit
    late = pipeline.deploy("<h1>Alt</h1>")
    assert late.returncode != 0 and "DEPLOY_ROLLBACK" in late.stderr
    assert pipeline.live() == f"releases/{newer}"
    rollback = pipeline.deploy("<h1>Alt</h1>", DEPLOY_ROLLBACK=older)  # an operator's decision
    assert rollback.returncode == 0, rollback.stderr
    assert pipeline.live() == f"releases/{older}"


def test_the_live_release_s_assets_are_carried_for_one_generation(pipeline: Pipeline) -> None:
    output = pipeline.work / "output"
    css = output / "theme" / "css"
    css.mkdir(parents=True)
    releases = []
    for version in ("aaaa", "bbbb", "cccc"):
        for old in css.iterdir():
            old.unlink()
        (css / f"site.{version}.css").write_text(f"/* {version} */", encoding="utf-8")
        (output / f"beitrag-{version}.html").write_text(version, encoding="utf-8")
        for gone in output.glob("beitrag-*.html"):
            if gone.name != f"beitrag-{version}.html":
                gone.unlink()
        releases.append(pipeline.root / "releases" / pipeline.commit())
        assert pipeline.deploy().returncode == 0
    first, second, third = releases
    carried = second / "theme" / "css" / "site.aaaa.css"
    assert carried.read_text(encoding="utf-8") == "/* aaaa */"
    assert carried.stat().st_ino == (first / "theme" / "css" / "site.aaaa.css").stat().st_ino
    assert not (second / "beitrag-aaaa.html").exists(), "a removed page is gone at once"
    assert sorted(p.name for p in (third / "theme" / "css").iterdir()) == ["site.bbbb.css", "site.cccc.css"]


# --------------------------------------------------------------------------- under load


class Load:
    """Readers on loopback: each reads pages and what they ask for, and keeps asking for the
    assets of the pages it read first (a tab left open on the old release). Bounded: each reader
    sends at most ``rate`` requests a second, all of them together at most ``limit``."""

    def __init__(self, base: str, pages: list[str], readers: int = 2, rate: int = 150,
                 limit: int = 4000) -> None:
        self.pause = 1 / rate
        self.port = int(base.rsplit(":", 1)[1])
        self.pages, self.limit = pages, limit
        self.answers: list[tuple[int, str, str]] = []  # status, path, stylesheet seen
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(readers)]

    def count(self) -> int:
        with self.lock:
            return len(self.answers)

    def get(self, connection: http.client.HTTPConnection, path: str) -> tuple[int, str]:
        self.stop.wait(self.pause)  # the rate limit (ends at once when the test stops)
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8", errors="replace")

    def read(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        opened: list[str] = []
        number = 0
        while not self.stop.is_set() and self.count() < self.limit:
            page = self.pages[number % len(self.pages)]
            number += 1
            for path in [page, *opened[:3]]:
                try:
                    status, body = self.get(connection, path)
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                    status, body = 0, str(error)
                style = STYLE.search(body) if path == page else None
                with self.lock:
                    self.answers.append((status, path, style.group(0) if style else ""))
                if path == page and status == 200:
                    assets = re.findall(r'(?:href|src)="(/(?:theme|images)/[^"]+)"', body)
                    if not opened:
                        opened = assets  # the first page stays open: its assets are asked for again
                    for asset in assets:
                        status, _ = self.get(connection, asset)
                        with self.lock:
                            self.answers.append((status, asset, ""))
        connection.close()


def test_a_deploy_under_load_is_invisible_to_readers(pipeline: Pipeline, tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    shutil.copy(ROOT / "content" / "images" / "logo.svg", content / "images")  # the header's logo
    built = run_build(tmp_path, content, pipeline.work / "output")
    assert built.code == 0, built.stderr
    output = pipeline.work / "output"
    pipeline.commit()
    assert pipeline.deploy(page=None).returncode == 0
    pages = sorted("/" + p.relative_to(output).as_posix().removesuffix("index.html")
                   for p in output.rglob("index.html") if "admin" not in p.parts)
    # The next release: the stylesheets changed (new hashed names), every page points at its new one.
    renamed = {}
    for number, sheet in enumerate(sorted((output / "theme" / "css").glob("site.*.css"))):
        old_style = sheet.relative_to(output).as_posix()
        renamed[old_style] = old_style.replace(old_style.split(".")[-2], f"{number:010d}")
        (output / renamed[old_style]).write_bytes(sheet.read_bytes() + b"\n/* neu */")
        sheet.unlink()
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = STYLE.search(text)
        if found:
            page.write_text(text.replace(found[0], renamed[found[0]]), encoding="utf-8")
    pipeline.commit()

    live_site = pipeline.root / "current"
    with nginx_serving(live_site, tmp_path / "nginx") as base:
        load = Load(base, pages)
        for reader in load.threads:
            reader.start()
        try:
            wait_for(lambda: load.count() >= 300, "readers on the old release")
            switched = pipeline.deploy(page=None)
            assert switched.returncode == 0, switched.stderr
            after = load.count()
            wait_for(lambda: load.count() >= after + 600, "readers on the new release")
        finally:
            load.stop.set()
            for reader in load.threads:
                reader.join(10)
    answers = load.answers
    failed = [(status, path) for status, path, _ in answers if status != 200]
    assert failed == [], failed[:10]
    styles = [style for _, _, style in answers if style]
    assert styles[0] in renamed and styles[-1] in renamed.values(), "the switch happened under load"
    old_after_switch = [path for _, path, _ in answers[after:] if path.lstrip("/") in renamed]
    assert old_after_switch, "open pages of the old release asked for its stylesheet after the switch"
    assert len(answers) <= load.limit + 50, "the load is bounded"
