"""The CI/CD pipelines (.gitlab-ci.yml, .github/workflows/site.yml) have the structure the
maintainers rely on: which job runs when, after what, with which secrets, and that both call the
same scripts in .ci/ the same way. Read with a YAML parser and compared as data; what the
scripts do is tested by running them (tests/test_deploy.py against a real sshd and nginx)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GITLAB = ROOT / ".gitlab-ci.yml"
GITHUB = ROOT / ".github" / "workflows" / "site.yml"
SCRIPTS = ROOT / ".ci"
GITLAB_KEYWORDS = {"workflow", "stages", "default", "variables", "include", "image", "services",
                   "cache", "before_script", "after_script"}

MERGE_REQUEST = '$CI_PIPELINE_SOURCE == "merge_request_event"'
DEFAULT_BRANCH = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
PROTECTED = f'{DEFAULT_BRANCH} && $CI_COMMIT_REF_PROTECTED == "true"'
PULL_REQUEST = "github.event_name == 'pull_request'"
MAIN = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
DEPLOY = "bash .ci/deploy output"


def gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def gitlab_jobs() -> dict[str, dict]:
    return {name: job for name, job in gitlab().items()
            if name not in GITLAB_KEYWORDS and not name.startswith(".") and isinstance(job, dict)}


def github() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job.get("steps", []) if "run" in step]


def needs(job: dict) -> set[str]:
    found = job.get("needs") or []
    return {found} if isinstance(found, str) else {n if isinstance(n, str) else n["job"] for n in found}


# --------------------------------------------------------------------------- GitLab


def test_gitlab_runs_merge_request_and_branch_pipelines_without_duplicates() -> None:
    config = gitlab()
    assert config["workflow"]["rules"] == [
        {"if": MERGE_REQUEST},
        {"if": "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "when": "never"},
        {"if": "$CI_COMMIT_BRANCH"},
    ]
    assert set(gitlab_jobs()) == {"test", "preview", "publish", "deploy", "newsletter"}
    assert config["stages"] == ["test", "build", "deploy", "newsletter"]


def test_gitlab_tests_everywhere_as_root_with_cached_downloads() -> None:
    config, job = gitlab(), gitlab_jobs()["test"]
    assert job["script"] == ["bash .ci/run"] and "rules" not in job and job["needs"] == []
    assert str(job.get("image") or config["default"]["image"]).startswith("python:3.11-bookworm")
    cached = {path.rstrip("/") for cache in job["cache"] for path in cache["paths"]}
    for variable in ("PIP_CACHE_DIR", "npm_config_cache"):
        assert config["variables"][variable].replace("$CI_PROJECT_DIR/", "").rstrip("/") in cached


def test_gitlab_preview_on_merge_requests_only() -> None:
    job = gitlab_jobs()["preview"]
    assert job["rules"] == [{"if": MERGE_REQUEST}]
    assert job["script"] == ["make review"]
    assert [p.rstrip("/") for p in job["artifacts"]["paths"]] == ["output"]


def test_gitlab_publishes_and_deploys_the_default_branch_after_the_tests() -> None:
    jobs = gitlab_jobs()
    publish, deploy = jobs["publish"], jobs["deploy"]
    assert publish["rules"] == [{"if": DEFAULT_BRANCH}] and needs(publish) == {"test"}
    assert any("invoke publish" in line and "SITEURL" in line for line in publish["script"])
    assert any("node_modules" in line for line in publish["script"]), "the live site carries the CMS"
    # A publish renders only new print editions and photos: their caches (and the toolchain key) are kept.
    print_cache = {".cache/print/", ".cache/images/", ".cache/toolchain.sha256"}
    assert any(set(cache["paths"]) == print_cache for cache in publish["cache"])
    # Deploy key and mailing tokens are protected variables: only the protected branch gets them.
    assert deploy["rules"] == [{"if": PROTECTED}]
    assert needs(deploy) == {"test", "publish"}
    assert deploy["script"] == [DEPLOY]
    assert deploy["resource_group"] == "production" and deploy["interruptible"] is False
    assert deploy["environment"]["name"] == "production"
    assert deploy["variables"]["KEEP_RELEASES"] == "5"


def test_gitlab_sends_after_the_deploy_once_and_only_when_configured() -> None:
    job = gitlab_jobs()["newsletter"]
    assert job["rules"] == [{"if": f"{PROTECTED} && $NEWSLETTER_PROVIDER"}]
    assert needs(job) == {"deploy"} and job["resource_group"] == "newsletter"
    assert job["interruptible"] is False
    assert job["script"] == ['bash .ci/newsletter "$CI_DEFAULT_BRANCH"']
    assert job["variables"]["NEWSLETTER_PUSH_URL"] == "$CI_SERVER_URL/$CI_PROJECT_PATH.git"


# --------------------------------------------------------------------------- GitHub


def test_github_triggers_and_least_privilege() -> None:
    config = github()
    triggers = config.get("on", config.get(True))  # YAML 1.1 reads the key `on` as True
    assert set(triggers) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["main"]
    assert config["permissions"] == {"contents": "read"}
    assert set(config["jobs"]) == {"test", "preview", "publish", "deploy", "newsletter"}


def test_github_tests_every_run_and_previews_pull_requests() -> None:
    jobs = github()["jobs"]
    assert "if" not in jobs["test"] and "bash .ci/run" in runs(jobs["test"])
    assert any("actions/cache@" in str(step.get("uses")) for step in jobs["test"]["steps"])
    assert jobs["preview"]["if"] == PULL_REQUEST and "make build" in runs(jobs["preview"])
    uploads = [s for s in jobs["preview"]["steps"] if "upload-artifact" in str(s.get("uses"))]
    assert uploads and uploads[0]["with"]["path"] == "output/"


def test_github_publishes_and_deploys_main_after_the_tests() -> None:
    jobs = github()["jobs"]
    publish, deploy = jobs["publish"], jobs["deploy"]
    assert publish["if"] == MAIN and needs(publish) == {"test"}
    assert any("invoke publish" in line for line in runs(publish))
    assert any("node_modules" in line for line in runs(publish)), "the live site carries the CMS"
    cached = [step["with"]["path"].split() for step in publish["steps"]
              if step.get("uses", "").startswith("actions/cache@") and "print" in step["with"]["key"]]
    assert cached == [[".cache/print", ".cache/images", ".cache/toolchain.sha256"]]
    assert deploy["if"] == MAIN and needs(deploy) == {"test", "publish"}
    assert deploy["environment"]["name"] == "production"
    assert deploy["concurrency"] == {"group": "deploy-production", "cancel-in-progress": False}
    assert DEPLOY in runs(deploy)
    step = next(s for s in deploy["steps"] if s.get("run", "").strip() == DEPLOY)
    assert step["env"]["KEEP_RELEASES"] == "5" and "secrets.DEPLOY_SSH_KEY" in step["env"]["DEPLOY_SSH_KEY"]


def test_github_sends_after_the_deploy_once_and_only_when_configured() -> None:
    job = github()["jobs"]["newsletter"]
    assert job["if"] == f"{MAIN} && vars.NEWSLETTER_PROVIDER != ''"
    assert needs(job) == {"deploy"} and job["permissions"] == {"contents": "write"}
    assert job["concurrency"] == {"group": "newsletter", "cancel-in-progress": False}
    assert "bash .ci/newsletter main" in runs(job)


def test_github_secrets_only_in_the_protected_environment_values_only_through_env() -> None:
    for name, job in github()["jobs"].items():
        steps = job.get("steps", [])
        if any("secrets." in str(value) for step in steps for value in (step.get("env") or {}).values()):
            assert job["environment"]["name"] == "production", name
        for step in steps:
            assert "${{" not in step.get("run", ""), f"{name}: a value inside a script (use env:)"
            if "uses" in step:  # pinned to a commit: a moved tag cannot change what runs
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


# --------------------------------------------------------------------------- both


def shell_lines() -> list[str]:
    """Every line either CI system runs in a shell, and every command line of the scripts in .ci/."""
    lines = [line for job in gitlab_jobs().values() for key in ("before_script", "script", "after_script")
             for line in job.get(key) or []]
    lines += [line for job in github()["jobs"].values() for line in runs(job)]
    for path in SCRIPTS.iterdir():
        lines += [line for line in path.read_text(encoding="utf-8").splitlines()
                  if not line.lstrip().startswith("#")]
    return lines


def test_both_pipelines_call_the_same_scripts_the_same_way() -> None:
    gitlab_lines = [line for job in gitlab_jobs().values() for line in job["script"]]
    github_lines = [line for job in github()["jobs"].values() for line in runs(job)]
    for call in ("bash .ci/run", DEPLOY):
        assert gitlab_lines.count(call) == github_lines.count(call) == 1, call
    # The deploy and the send live in one file each, not in the YAML.
    for line in gitlab_lines + github_lines:
        assert not re.search(r"\brsync -|\bmv -T\b|\bgit push\b|invoke newsletter\.send", line), line


def test_no_script_traces_its_commands() -> None:
    for line in shell_lines():
        tracing = re.search(r"set\s+-[a-wyz]*x|set\s+-o\s+xtrace|bash\s+-[a-z]*x", line)
        assert not tracing, f"set -x prints secrets: {line!r}"


def test_the_newsletter_script_records_the_issue_without_a_token_in_a_url() -> None:
    script = (SCRIPTS / "newsletter").read_text(encoding="utf-8")
    assert "${SLS_CONTENT:-content}/newsletter/issues.yml" in script
    assert "[skip ci]" in script
    assert "NEWSLETTER_PUSH_TOKEN@" not in script and "credential.helper" in script
