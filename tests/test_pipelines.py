"""The CI/CD pipelines (.gitlab-ci.yml, .github/workflows/site.yml) do what the maintainers rely on.

The rules are evaluated for typical pipelines (merge request, main, schedule, feature branch)
instead of compared as text, and the deploy script runs for real against a fake server:
`ssh` and (without a real one) `rsync` are replaced by local stand-ins. No network.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITLAB = ROOT / ".gitlab-ci.yml"
GITHUB = ROOT / ".github" / "workflows" / "site.yml"

GITLAB_KEYWORDS = {"workflow", "stages", "default", "variables", "include", "image", "services",
                   "cache", "before_script", "after_script"}
SEND = re.compile(r"invoke\s+newsletter\.send\b[^\n]*--yes")


# --------------------------------------------------------------------------- loading


def gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def github() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def gitlab_jobs(config: dict) -> dict[str, dict]:
    return {name: job for name, job in config.items()
            if name not in GITLAB_KEYWORDS and not name.startswith(".") and isinstance(job, dict)}


def gitlab_script(job: dict) -> str:
    parts = [job.get(key) or [] for key in ("before_script", "script", "after_script")]
    return "\n".join(line for part in parts for line in ([part] if isinstance(part, str) else part))


def gitlab_needs(job: dict) -> set[str]:
    return {need if isinstance(need, str) else need["job"] for need in job.get("needs") or []}


def github_triggers(config: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean True.
    triggers = config.get("on", config.get(True))
    if isinstance(triggers, str):
        return {triggers: None}
    if isinstance(triggers, list):
        return dict.fromkeys(triggers)
    return triggers


def github_needs(job: dict) -> set[str]:
    needs = job.get("needs") or []
    return {needs} if isinstance(needs, str) else set(needs)


def github_script(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def upstream(jobs: dict[str, dict], name: str, needs: Callable[[dict], set[str]]) -> set[str]:
    """Every job that must have succeeded before ``name`` starts."""
    seen: set[str] = set()
    todo = list(needs(jobs[name]))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(needs(jobs[current]))
    return seen


def the_job(jobs: dict[str, dict], script_of: Callable[[dict], str], pattern: str) -> str:
    found = [name for name, job in jobs.items() if re.search(pattern, script_of(job))]
    assert len(found) == 1, f"expected exactly one job matching {pattern!r}, found {found}"
    return found[0]


# --------------------------------------------------------------------------- GitLab rules


GITLAB_TOKEN = re.compile(r"""\s*(?:(?P<var>\$\w+)|(?P<str>"[^"]*"|'[^']*')|(?P<re>/(?:\\.|[^/])*/i?)
                              |(?P<op>==|!=|=~|!~|&&|\|\||\(|\))|(?P<null>null))""", re.X)


def gitlab_if(expression: str, env: dict[str, str]) -> bool:
    """Evaluate a GitLab `rules:if` expression (variables, strings, null, ==, !=, =~, &&, ||, ())."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(expression.rstrip()):
        match = GITLAB_TOKEN.match(expression, position)
        assert match, f"cannot read rules:if {expression!r} at {expression[position:]!r}"
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()

    def value(kind: str, text: str):
        if kind == "var":
            return env.get(text[1:])
        if kind == "str":
            return text[1:-1]
        if kind == "re":
            return re.compile(text[1:text.rindex("/")], re.I if text.endswith("i") else 0)
        return None

    def atom(i: int):
        kind, text = tokens[i]
        if text == "(":
            result, i = either(i + 1)
            assert tokens[i][1] == ")", expression
            return result, i + 1
        left = value(kind, text)
        if i + 1 < len(tokens) and tokens[i + 1][1] in ("==", "!=", "=~", "!~"):
            operator, right = tokens[i + 1][1], value(*tokens[i + 2])
            if operator in ("==", "!="):
                return (left == right) == (operator == "=="), i + 3
            found = left is not None and bool(right.search(left))
            return found == (operator == "=~"), i + 3
        return bool(left), i + 1

    def both(i: int):
        result, i = atom(i)
        while i < len(tokens) and tokens[i][1] == "&&":
            right, i = atom(i + 1)
            result = result and right
        return result, i

    def either(i: int):
        result, i = both(i)
        while i < len(tokens) and tokens[i][1] == "||":
            right, i = both(i + 1)
            result = result or right
        return result, i

    result, end = either(0)
    assert end == len(tokens), f"cannot read rules:if {expression!r}"
    return result


def gitlab_rules_allow(rules: list[dict] | None, env: dict[str, str]) -> bool:
    if rules is None:
        return True
    for rule in rules:
        assert set(rule) <= {"if", "when", "variables", "allow_failure"}, f"unsupported rule {rule}"
        if "if" not in rule or gitlab_if(rule["if"], env):
            return rule.get("when", "on_success") != "never"
    return False


def gitlab_pipeline(env: dict[str, str]) -> set[str]:
    """The jobs GitLab creates for a pipeline with these predefined variables."""
    config = gitlab()
    if not gitlab_rules_allow((config.get("workflow") or {}).get("rules"), env):
        return set()
    return {name for name, job in gitlab_jobs(config).items() if gitlab_rules_allow(job.get("rules"), env)}


MAIN = {"CI_DEFAULT_BRANCH": "main", "CI_COMMIT_BRANCH": "main", "CI_PIPELINE_SOURCE": "push",
        "CI_COMMIT_REF_PROTECTED": "true"}  # GitLab protects the default branch
SCHEDULE = {**MAIN, "CI_PIPELINE_SOURCE": "schedule"}
MERGE_REQUEST = {"CI_DEFAULT_BRANCH": "main", "CI_PIPELINE_SOURCE": "merge_request_event",
                 "CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
FEATURE = {"CI_DEFAULT_BRANCH": "main", "CI_COMMIT_BRANCH": "neuer-beitrag", "CI_PIPELINE_SOURCE": "push"}
PROVIDER = {"NEWSLETTER_PROVIDER": "listmonk"}


# --------------------------------------------------------------------------- GitHub expressions


GITHUB_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][\w.-]*)|(?P<str>'(?:[^']|'')*')"
                          r"|(?P<op>==|!=|&&|\|\||!|\(|\)))")


def github_if(expression: str | bool | None, context: dict) -> bool:
    """Evaluate a job `if:` (context paths, 'strings', ==, !=, !, &&, ||, ())."""
    if expression is None or isinstance(expression, bool):
        return expression is not False
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text.rstrip()):
        match = GITHUB_TOKEN.match(text, position)
        assert match, f"cannot read if: {expression!r} at {text[position:]!r}"
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()

    def lookup(path: str):
        if path in ("true", "false"):
            return path == "true"
        current = context
        for part in path.split("."):
            current = current.get(part, "") if isinstance(current, dict) else ""
        return current

    def atom(i: int):
        kind, token = tokens[i]
        if token == "!":
            result, i = atom(i + 1)
            return not result, i
        if token == "(":
            result, i = either(i + 1)
            return result, i + 1
        assert kind in ("name", "str"), f"unsupported {token!r} in {expression!r}"
        left = lookup(token) if kind == "name" else token[1:-1].replace("''", "'")
        if i + 1 < len(tokens) and tokens[i + 1][1] in ("==", "!="):
            kind2, token2 = tokens[i + 2]
            right = lookup(token2) if kind2 == "name" else token2[1:-1].replace("''", "'")
            return (str(left).lower() == str(right).lower()) == (tokens[i + 1][1] == "=="), i + 3
        return bool(left), i + 1

    def both(i: int):
        result, i = atom(i)
        while i < len(tokens) and tokens[i][1] == "&&":
            right, i = atom(i + 1)
            result = result and right
        return result, i

    def either(i: int):
        result, i = both(i)
        while i < len(tokens) and tokens[i][1] == "||":
            right, i = both(i + 1)
            result = result or right
        return result, i

    result, end = either(0)
    assert end == len(tokens), f"cannot read if: {expression!r}"
    return result


def github_run(event: str, ref: str, variables: dict | None = None) -> set[str]:
    """The jobs that run for an event (assuming every job succeeds)."""
    jobs = github()["jobs"]
    context = {"github": {"event_name": event, "ref": ref, "ref_name": ref.rsplit("/", 1)[-1]},
               "vars": variables or {}}
    ran: set[str] = set()
    for name in github_order(jobs):
        job = jobs[name]
        if github_needs(job) <= ran and github_if(job.get("if"), context):
            ran.add(name)
    return ran


def github_order(jobs: dict[str, dict]) -> list[str]:
    order: list[str] = []
    while len(order) < len(jobs):
        ready = [n for n, j in jobs.items() if n not in order and github_needs(j) <= set(order)]
        assert ready, "the jobs' needs form a cycle"
        order.extend(ready)
    return order


PR = ("pull_request", "refs/pull/7/merge")
PUSH_MAIN = ("push", "refs/heads/main")
SCHEDULED = ("schedule", "refs/heads/main")
DISPATCH_BRANCH = ("workflow_dispatch", "refs/heads/neuer-beitrag")


# --------------------------------------------------------------------------- GitLab


def test_gitlab_tests_run_everywhere_with_the_ci_script():
    config = gitlab()
    jobs = gitlab_jobs(config)
    test = the_job(jobs, gitlab_script, r"(^|\n)\s*bash \.ci/run\b")
    image = jobs[test].get("image") or config["default"]["image"]
    assert str(image).startswith("python:3.11-bookworm")
    assert "user" not in str(jobs[test].get("image", "")), "the CI script apt-installs: it must run as root"
    for env in (MERGE_REQUEST, MAIN, SCHEDULE, FEATURE):
        assert test in gitlab_pipeline(env), env


def test_gitlab_has_no_duplicate_branch_pipeline_for_open_merge_requests():
    assert gitlab_pipeline({**FEATURE, "CI_OPEN_MERGE_REQUESTS": "gruppe/projekt!7"}) == set()
    assert gitlab_pipeline(MERGE_REQUEST)


def test_gitlab_preview_on_merge_requests_only():
    jobs = gitlab_jobs(gitlab())
    preview = the_job(jobs, gitlab_script, r"\bmake review\b")
    assert preview in gitlab_pipeline(MERGE_REQUEST)
    for env in (MAIN, SCHEDULE, FEATURE):
        assert preview not in gitlab_pipeline(env)
    assert any(p.rstrip("/") == "output" for p in jobs[preview]["artifacts"]["paths"])


def test_gitlab_deploys_only_the_default_branch_and_only_after_tests_and_publish_build():
    config = gitlab()
    jobs = gitlab_jobs(config)
    test = the_job(jobs, gitlab_script, r"bash \.ci/run")
    publish = the_job(jobs, gitlab_script, r"invoke publish\b")
    deploy = the_job(jobs, gitlab_script, r"\bmv -T\b")
    assert "SITEURL" in gitlab_script(jobs[publish])
    assert re.search(r"node_modules|npm ci", gitlab_script(jobs[publish])), "the live site carries the CMS"
    for env in (MAIN, {**SCHEDULE, **PROVIDER}):
        assert {test, publish, deploy} <= gitlab_pipeline(env)
    for env in (MERGE_REQUEST, FEATURE, {**FEATURE, **PROVIDER}):
        assert not {publish, deploy} & gitlab_pipeline(env)
    assert {test, publish} <= upstream(jobs, deploy, gitlab_needs)
    stages = config["stages"]
    assert stages.index(jobs[deploy]["stage"]) > stages.index(jobs[test]["stage"])
    assert any(p.rstrip("/") == "output" for p in jobs[publish]["artifacts"]["paths"])
    assert jobs[deploy].get("resource_group"), "two deploys must never overlap"


def test_gitlab_newsletter_after_deploy_once_and_only_when_configured():
    jobs = gitlab_jobs(gitlab())
    deploy = the_job(jobs, gitlab_script, r"\bmv -T\b")
    newsletter = the_job(jobs, gitlab_script, SEND.pattern)
    job = jobs[newsletter]
    assert deploy in upstream(jobs, newsletter, gitlab_needs)
    assert job["resource_group"] == "newsletter"
    assert newsletter in gitlab_pipeline({**MAIN, **PROVIDER})
    assert newsletter in gitlab_pipeline({**SCHEDULE, **PROVIDER})
    assert newsletter not in gitlab_pipeline(MAIN), "without NEWSLETTER_PROVIDER nothing is sent"
    assert newsletter not in gitlab_pipeline({**MERGE_REQUEST, **PROVIDER})
    assert newsletter not in gitlab_pipeline({**FEATURE, **PROVIDER})
    script = gitlab_script(job)
    assert "${SLS_CONTENT:-content}/newsletter/issues.yml" in script
    assert "[skip ci]" in script
    assert "NEWSLETTER_PUSH_TOKEN" in script
    assert "$NEWSLETTER_PUSH_TOKEN@" not in script, "the token must not be part of a URL"


def test_gitlab_jobs_reference_existing_jobs_in_every_pipeline():
    jobs = gitlab_jobs(gitlab())
    for env in (MERGE_REQUEST, MAIN, SCHEDULE, FEATURE, {**MAIN, **PROVIDER}):
        created = gitlab_pipeline(env)
        for name in created:
            assert gitlab_needs(jobs[name]) <= created, (name, env)


def test_gitlab_caches_pip_and_npm_downloads():
    config = gitlab()
    jobs = gitlab_jobs(config)
    test = the_job(jobs, gitlab_script, r"bash \.ci/run")
    variables = config["variables"]
    cached = {path for cache in jobs[test]["cache"] for path in cache["paths"]}
    for variable in ("PIP_CACHE_DIR", "npm_config_cache"):
        folder = variables[variable].replace("$CI_PROJECT_DIR/", "").rstrip("/")
        assert any(path.rstrip("/") == folder for path in cached), variable


# --------------------------------------------------------------------------- GitHub


def test_github_triggers():
    triggers = github_triggers(github())
    assert "pull_request" in triggers
    assert "main" in triggers["push"]["branches"]


def test_github_tests_run_for_pull_requests_and_main():
    jobs = github()["jobs"]
    test = the_job(jobs, github_script, r"(^|\n)\s*(bash \.ci/run|make test)\b")
    for event in (PR, PUSH_MAIN, SCHEDULED):
        assert test in github_run(*event)
    steps = " ".join(str(step.get("uses", "")) for step in jobs[test]["steps"])
    assert "actions/cache" in steps, "pip/npm downloads are cached"


def test_github_preview_on_pull_requests_only():
    jobs = github()["jobs"]
    preview = the_job(jobs, github_script, r"\bmake build\b")
    assert preview in github_run(*PR)
    assert preview not in github_run(*PUSH_MAIN)
    uploads = [step for step in jobs[preview]["steps"] if "upload-artifact" in str(step.get("uses"))]
    assert uploads and uploads[0]["with"]["path"].rstrip("/") == "output"


def test_github_deploys_only_main_and_only_after_tests_and_publish_build():
    jobs = github()["jobs"]
    test = the_job(jobs, github_script, r"bash \.ci/run|make test")
    publish = the_job(jobs, github_script, r"invoke publish\b")
    deploy = the_job(jobs, github_script, r"\bmv -T\b")
    assert {test, publish} <= upstream(jobs, deploy, github_needs)
    assert re.search(r"node_modules|npm ci", github_script(jobs[publish])), "the live site carries the CMS"
    for event in (PUSH_MAIN, SCHEDULED):
        assert {test, publish, deploy} <= github_run(*event)
    for event in (PR, DISPATCH_BRANCH):
        assert deploy not in github_run(*event)
        assert publish not in github_run(*event)
    assert jobs[deploy].get("concurrency"), "two deploys must never overlap"


def test_github_newsletter_after_deploy_once_and_only_when_configured():
    config = github()
    jobs = config["jobs"]
    deploy = the_job(jobs, github_script, r"\bmv -T\b")
    newsletter = the_job(jobs, github_script, SEND.pattern)
    job = jobs[newsletter]
    assert deploy in upstream(jobs, newsletter, github_needs)
    concurrency = job["concurrency"]
    group = concurrency if isinstance(concurrency, str) else concurrency["group"]
    assert group == "newsletter"
    if isinstance(concurrency, dict):
        assert not concurrency.get("cancel-in-progress"), "a running send must never be cancelled"
    assert job["permissions"]["contents"] == "write"
    assert config["permissions"]["contents"] == "read", "only the newsletter job may push"
    assert newsletter in github_run(*PUSH_MAIN, PROVIDER)
    assert newsletter in github_run(*SCHEDULED, PROVIDER)
    assert newsletter not in github_run(*PUSH_MAIN), "without NEWSLETTER_PROVIDER nothing is sent"
    assert newsletter not in github_run(*PR, PROVIDER)
    script = github_script(job)
    assert "${SLS_CONTENT:-content}/newsletter/issues.yml" in script
    assert "[skip ci]" in script
    assert "git push" in script


def test_github_scripts_get_values_through_env_only():
    for name, job in github()["jobs"].items():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), f"{name}: use env: instead of ${{{{ }}}} in run"


# --------------------------------------------------------------------------- both


def all_scripts(which: str) -> str:
    """Every shell line the CI system runs (comments in the YAML are not part of it)."""
    if which == "gitlab":
        config = gitlab()
        scripts = [gitlab_script(job) for job in gitlab_jobs(config).values()]
        return "\n".join([*scripts, gitlab_script(config.get("default") or {})])
    return "\n".join(github_script(job) for job in github()["jobs"].values())


@pytest.mark.parametrize("which", ["gitlab", "github"])
def test_no_shell_tracing(which):
    scripts = all_scripts(which)
    tracing = re.search(r"set\s+-[a-wyz]*x|set\s+-o\s+xtrace|bash\s+-[a-z]*x", scripts)
    assert not tracing, f"set -x prints secrets: {tracing.group(0)!r}"


@pytest.mark.parametrize("which", ["gitlab", "github"])
def test_ssh_host_key_is_pinned(which):
    scripts = all_scripts(which)
    assert "StrictHostKeyChecking yes" in scripts
    assert "DEPLOY_KNOWN_HOSTS" in scripts
    assert "ssh-keyscan" not in scripts, "trust on first use would accept any server"


# --------------------------------------------------------------------------- the deploy script, for real


def deploy_script(which: str) -> str:
    if which == "gitlab":
        jobs = gitlab_jobs(gitlab())
        job = jobs[the_job(jobs, gitlab_script, r"\bmv -T\b")]
        script = job["script"]
        return "\n".join([script] if isinstance(script, str) else script)
    jobs = github()["jobs"]
    job = jobs[the_job(jobs, github_script, r"\bmv -T\b")]
    return next(step["run"] for step in job["steps"] if "mv -T" in step.get("run", ""))


def keep_releases(which: str) -> str:
    if which == "gitlab":
        jobs = gitlab_jobs(gitlab())
        return str(jobs[the_job(jobs, gitlab_script, r"\bmv -T\b")]["variables"]["KEEP_RELEASES"])
    jobs = github()["jobs"]
    job = jobs[the_job(jobs, github_script, r"\bmv -T\b")]
    return next(str(s["env"]["KEEP_RELEASES"]) for s in job["steps"] if "mv -T" in s.get("run", ""))


FAKE_SSH = """#!/bin/bash
# ssh deploy-target COMMAND…: run COMMAND on "the server" (here), like sshd does.
host=$1; shift
[ "$host" = deploy-target ] || { echo "fake ssh: unexpected host $host" >&2; exit 255; }
printf '%s\\n' "$*" >> "$FAKE_LOG"
exec bash -c "$*"
"""

FAKE_RSYNC = """#!/bin/bash
# Stand-in for rsync SOURCE/ deploy-target:DEST/ (a full copy, like --delete into a new dir).
source=${@: -2:1}; target=${@: -1}
case "$target" in deploy-target:*) target=${target#deploy-target:} ;; *) exit 2 ;; esac
printf 'rsync %s\\n' "$*" >> "$FAKE_LOG"
rm -rf "$target" && mkdir -p "$target" && cp -R "$source." "$target"
"""

KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAgeheim\n-----END OPENSSH PRIVATE KEY-----"


class FakeServer:
    """A workspace with output/, a fake `ssh` to localhost and DEPLOY_PATH below tmp_path."""

    def __init__(self, tmp_path: Path, which: str) -> None:
        self.script = deploy_script(which)
        self.keep = int(keep_releases(which))
        self.work = tmp_path / "work"
        self.root = tmp_path / "srv" / "www"
        self.home = tmp_path / "home"
        bin_dir = tmp_path / "bin"
        for folder in (self.work / "output", self.home, bin_dir):
            folder.mkdir(parents=True)
        (bin_dir / "ssh").write_text(FAKE_SSH, encoding="utf-8")
        if not shutil.which("rsync"):
            (bin_dir / "rsync").write_text(FAKE_RSYNC, encoding="utf-8")
        for tool in bin_dir.iterdir():
            tool.chmod(0o755)
        self.log = tmp_path / "server.log"
        self.env = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.home), "LANG": "C.UTF-8", "FAKE_LOG": str(self.log),
            "DEPLOY_HOST": "www.example.invalid", "DEPLOY_USER": "deploy", "DEPLOY_PATH": str(self.root),
            "DEPLOY_SSH_KEY": KEY, "DEPLOY_KNOWN_HOSTS": "www.example.invalid ssh-ed25519 AAAAC3Nza",
            "KEEP_RELEASES": str(self.keep), "CI_JOB_ID": "4711", "GITHUB_RUN_ID": "4711",
            "GITHUB_RUN_ATTEMPT": "1",
        }

    def deploy(self, sha: str, page: str = "<h1>Start</h1>", **env: str) -> subprocess.CompletedProcess:
        index = self.work / "output" / "index.html"
        if page:
            index.write_text(page, encoding="utf-8")
        elif index.exists():
            index.unlink()
        return subprocess.run(["bash", "-c", self.script], cwd=self.work, capture_output=True, text=True,
                              timeout=60, env={**self.env, "CI_COMMIT_SHA": sha, "GITHUB_SHA": sha, **env})

    def live(self) -> str:
        return os.readlink(self.root / "current")

    def releases(self) -> set[str]:
        return {p.name for p in (self.root / "releases").iterdir()}


needs_linux = pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("bash"),
                                 reason="the deploy script targets GNU/Linux (mv -T)")


@needs_linux
@pytest.mark.parametrize("which", ["gitlab", "github"])
def test_deploy_uploads_a_release_and_switches_the_symlink(tmp_path, which):
    server = FakeServer(tmp_path, which)
    first = server.deploy("a" * 40, "<h1>Eins</h1>")
    assert first.returncode == 0, first.stderr
    assert server.live() == "releases/" + "a" * 40
    assert (server.root / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Eins</h1>"

    second = server.deploy("b" * 40, "<h1>Zwei</h1>")
    assert second.returncode == 0, second.stderr
    assert server.live() == "releases/" + "b" * 40
    assert (server.root / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Zwei</h1>"
    assert "a" * 40 in server.releases(), "the previous release stays for a rollback"
    assert KEY.splitlines()[1] not in first.stdout + first.stderr + second.stdout + second.stderr


@needs_linux
@pytest.mark.parametrize("which", ["gitlab", "github"])
def test_deploy_never_writes_into_the_live_release(tmp_path, which):
    server = FakeServer(tmp_path, which)
    assert server.deploy("c" * 40, "<h1>Alt</h1>").returncode == 0
    live = server.root / "releases" / ("c" * 40)
    (live / "marker").write_text("served right now", encoding="utf-8")
    again = server.deploy("c" * 40, "<h1>Neu gebaut</h1>")  # schedule or retry of the same commit
    assert again.returncode == 0, again.stderr
    assert server.live() != "releases/" + "c" * 40
    assert server.live().startswith("releases/" + "c" * 40)
    assert (live / "marker").exists() and (live / "index.html").read_text(encoding="utf-8") == "<h1>Alt</h1>"
    assert (server.root / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Neu gebaut</h1>"


@needs_linux
@pytest.mark.parametrize("which", ["gitlab", "github"])
def test_deploy_keeps_the_newest_releases(tmp_path, which):
    server = FakeServer(tmp_path, which)
    assert server.keep == 5
    shas = [f"{n:040x}" for n in range(1, 8)]
    for sha in shas:
        done = server.deploy(sha, f"<h1>{sha}</h1>")
        assert done.returncode == 0, done.stderr
    assert server.releases() == set(shas[-5:])
    assert server.live() == f"releases/{shas[-1]}"


@needs_linux
@pytest.mark.parametrize("which", ["gitlab", "github"])
def test_deploy_refuses_without_a_built_site_or_configuration(tmp_path, which):
    server = FakeServer(tmp_path, which)
    assert server.deploy("d" * 40).returncode == 0
    empty = server.deploy("e" * 40, page="")
    assert empty.returncode != 0
    assert server.live() == "releases/" + "d" * 40
    unset = server.deploy("f" * 40, DEPLOY_HOST="")
    assert unset.returncode != 0 and "DEPLOY_HOST" in unset.stderr
    relative = server.deploy("f" * 40, DEPLOY_PATH="srv/www")
    assert relative.returncode != 0
    assert server.live() == "releases/" + "d" * 40


@needs_linux
@pytest.mark.parametrize("which", ["gitlab", "github"])
@pytest.mark.parametrize("form", ["text", "base64", "file"])
def test_deploy_key_lands_only_in_a_private_file(tmp_path, which, form):
    import base64

    server = FakeServer(tmp_path, which)
    value = {"text": KEY, "base64": base64.b64encode(KEY.encode()).decode(), "file": ""}[form]
    if form == "file":  # GitLab variable of type "File": the value is a path
        key_file = tmp_path / "key-variable"
        key_file.write_text(KEY, encoding="utf-8")
        value = str(key_file)
    done = server.deploy("1" * 40, DEPLOY_SSH_KEY=value)
    assert done.returncode == 0, done.stderr
    written = server.home / ".ssh" / "deploy_key"
    assert written.read_text(encoding="utf-8") == KEY + "\n"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    config = (server.home / ".ssh" / "config").read_text(encoding="utf-8")
    assert "StrictHostKeyChecking yes" in config and "HostName www.example.invalid" in config
    assert KEY.splitlines()[1] not in done.stdout + done.stderr + server.log.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- secrets and rollbacks


def test_gitlab_jobs_with_secrets_run_only_on_the_protected_default_branch():
    jobs = gitlab_jobs(gitlab())
    deploy = the_job(jobs, gitlab_script, r"\bmv -T\b")
    newsletter = the_job(jobs, gitlab_script, SEND.pattern)
    unprotected = {**MAIN, "CI_COMMIT_REF_PROTECTED": "false", **PROVIDER}
    assert not {deploy, newsletter} & gitlab_pipeline(unprotected)
    assert {deploy, newsletter} <= gitlab_pipeline({**MAIN, **PROVIDER})


def test_github_jobs_with_secrets_run_in_the_protected_environment_and_actions_are_pinned():
    workflow = github()
    for name, job in workflow["jobs"].items():
        steps = job.get("steps", [])
        uses_secrets = any("secrets." in str(value)
                           for step in steps for value in (step.get("env") or {}).values())
        if uses_secrets:
            assert (job.get("environment") or {}).get("name") == "production", name
        for step in steps:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def git(work: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=work, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    return done.stdout.strip()


@needs_linux
@pytest.mark.parametrize("which", ["gitlab", "github"])
def test_an_older_commit_never_replaces_a_newer_live_release(tmp_path, which):
    server = FakeServer(tmp_path, which)
    git(server.work, "init", "-q")
    git(server.work, "commit", "-q", "--allow-empty", "-m", "alt")
    older = git(server.work, "rev-parse", "HEAD")
    git(server.work, "commit", "-q", "--allow-empty", "-m", "neu")
    newer = git(server.work, "rev-parse", "HEAD")
    assert server.deploy(newer, "<h1>Neu</h1>").returncode == 0

    late = server.deploy(older, "<h1>Alt</h1>")  # a slow pipeline of the older commit
    assert late.returncode != 0 and "DEPLOY_ROLLBACK" in late.stderr
    assert server.live() == "releases/" + newer

    rollback = server.deploy(older, "<h1>Alt</h1>", DEPLOY_ROLLBACK=older)  # an operator's decision
    assert rollback.returncode == 0, rollback.stderr
    assert server.live() == "releases/" + older
