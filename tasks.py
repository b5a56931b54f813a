"""Project tasks (invoke). The Makefile only bootstraps .venv and calls these."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from invoke import Collection, Exit, task

ROOT = Path(__file__).resolve().parent

OUTPUT = ROOT / "output"
PREVIEW = ROOT / "preview"  # `serve`'s own site: a preview never replaces a build for publishing
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def _commands_say_missing_folders(function):
    """A wrong content folder or environment value is one German line, not a traceback, in every
    command."""
    import functools

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        from pipeline.settings import ContentFolderMissing, EnvironmentValueError

        try:
            return function(*args, **kwargs)
        except (ContentFolderMissing, EnvironmentValueError) as error:
            print(error, file=sys.stderr)
            raise Exit(code=1) from None

    return guarded


def _folder(content: str | None) -> str | None:
    """The content folder a command was given; empty (an unset CI variable) means not given,
    and then the settings read $SLS_CONTENT."""
    return content if isinstance(content, str) and content.strip() else None


def _build(settings: Path, output: Path, content: str | None = None,
           programme: str | None = None, overrides: dict | None = None) -> None:
    """Build atomically and print the report; exit non-zero on any problem."""
    from pipeline.build import build as build_site

    result = build_site(settings, output, content, programme, overrides)
    result.print()
    if not result.ok:
        raise Exit(code=1)


@task(help={"content": "content folder (default: $SLS_CONTENT, else content/)",
            "programme": "programme data file (default: <content>/programme.yml)",
            "output": "output folder (default: output/)",
            "clean": "build everything anew instead of reusing the previous build"})
@_commands_say_missing_folders
def build(c, content=None, programme=None, output=str(OUTPUT), clean=False):
    """Build the site (atomic: output/ is swapped in on success). After a first build only what
    an edit changes is rebuilt, byte-identical to a clean build; publish always builds clean."""
    from pipeline.build import INCREMENTAL

    _build(SETTINGS, Path(output), _folder(content), programme, None if clean else INCREMENTAL)


@task
def clean(c):
    """Remove the built site and the content cache."""
    for path in (OUTPUT, ROOT / ".cache"):
        shutil.rmtree(path, ignore_errors=True)


@task(pre=[clean])
def rebuild(c):
    """Clean, then build from scratch."""
    _build(SETTINGS, OUTPUT)


@task(help={"port": "port for the preview (default 8000)", "host": "interface (default 127.0.0.1)",
            "content": "content folder (default: $SLS_CONTENT, else content/)",
            "output": "output folder (default: preview/)"})
@_commands_say_missing_folders
def serve(c, port=8000, host="127.0.0.1", content=None, output=str(PREVIEW)):
    """Preview: rebuilds on every save; open tabs reload and show a failed build on the page."""
    import threading

    from pipeline.dev_server import DevServer, PreviewState
    from pipeline.preview import Preview

    preview = Preview(SETTINGS, Path(output), content, public_url=f"http://{host}:{int(port)}")
    state = PreviewState()
    try:  # the port first: a busy one should not cost a build
        server = DevServer(Path(output), state, host, int(port))
    except OSError:
        print(f"Port {port} ist belegt – wähle einen anderen: make serve PORT={int(port) + 1} "
              f"oder .venv/bin/invoke serve -p {int(port) + 1}", file=sys.stderr)
        raise Exit(code=1) from None
    first = preview.build()
    state.built(first.ok, first.report())
    print(first.report(), flush=True)
    for address in preview.unpublished_pages():
        print(f"Entwurf/geplant (nur in der Vorschau): http://{host}:{port}/{address}", flush=True)

    def step(line: str, result) -> None:
        print(line, flush=True)
        state.built(result is None or result.ok, result.report() if result else "")

    stop = threading.Event()
    threading.Thread(target=preview.watch, args=(step, stop), daemon=True).start()
    with server as url:
        print(f"Vorschau: {url}/ (Beenden mit Strg+C)", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            print("Vorschau beendet.")
        finally:
            stop.set()


@task(help={"settings": "settings file (default: publishconf.py)",
            "content": "content folder (default: $SLS_CONTENT, else content/)",
            "output": "output folder (default: output/)"})
@_commands_say_missing_folders
def publish(c, settings=str(PUBLISH_SETTINGS), content=None, output=str(OUTPUT)):
    """Build the live site; refuses while placeholders or a missing SITEURL remain."""
    from pipeline.publish_check import publish_problems

    problems = publish_problems(Path(settings), _folder(content))
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        print(f"Veröffentlichung abgelehnt: {len(problems)} offene Angaben.", file=sys.stderr)
        raise Exit(code=1)
    _build(Path(settings), Path(output), _folder(content))


@task
def lint(c):
    """Ruff over the Python code."""
    c.run(f"{sys.executable} -m ruff check {ROOT}", pty=False)


@task(optional=["content"],
      help={"content": "content folder (default: $SLS_CONTENT, else content/)",
            "fast": "only validate the content: no build, no browser (for editors, under a second)",
            "site": "check this already built folder instead of building"})
@_commands_say_missing_folders
def check(c, content=None, fast=False, site=None):
    """Build, then check every page and the newsletter email: axe, IBM, HTML_CodeSniffer, Nu,
    privacy, CSP, keyboard, reflow and contrast."""
    if content is True:  # `invoke check --content` without a folder: the fast check, as it used to be
        print("Hinweis: die schnelle Inhaltsprüfung heißt jetzt `invoke check --fast`; "
              "`--content ORDNER` wählt den Inhaltsordner.", file=sys.stderr)
        content, fast = None, True
    folder = _folder(content)
    if fast:
        from pipeline.content_check import main as content_check

        if content_check(["--content", folder] if folder else []):
            raise Exit(code=1)
        print("Inhalt geprüft: keine Probleme.")
        return

    from checks.run import build_and_check, run

    # The accessibility statement shows the last check of the programme's own content only.
    report = ROOT / "reports" / "accessibility.json" if folder is None else None
    code = run(Path(site).resolve(), report_path=report) if site else \
        build_and_check(SETTINGS, folder, report)
    if code:
        raise Exit(code=code)


@task(help={"file": "the translation, e.g. content/posts/2022-04-11-zukunftswerkstatt.en.md",
            "content": "content folder (default: $SLS_CONTENT, else content/)"})
@_commands_say_missing_folders
def translated(c, file, content=None):
    """Record that a translation matches its original's present text (after checking it): its
    page stops saying it is older, and `invoke check --fast` stops listing it."""
    if file in ("--help", "-h"):  # invoke hands a required positional the flag itself
        c.run(f"{sys.executable} -m invoke --help translated", pty=False)
        return
    from pipeline.translations import main as record_translation

    if record_translation([file], _folder(content)):
        raise Exit(code=1)


@task
def catalogues(c):
    """Bring the interface translations (theme/locale/*/LC_MESSAGES/sls.po) up to date with the
    templates: new German texts are added with an empty translation for the translators."""
    from pipeline.catalogues import main as update_catalogues

    update_catalogues()


@task(iterable=["cluster"],
      help={"folder": "the new content folder inside the repository, e.g. sites/beispielhausen",
            "name": "the programme's name, e.g. beispielhausen.vernetzt",
            "cluster": "a cluster and its measures, e.g. \"Mobilität: Rufbus, Mitfahrbank\" (repeat)",
            "owner": "who runs the programme, e.g. \"Gemeinde Beispielhausen\" (optional)",
            "answers": "a YAML file with name, owner and clusters (title, measures) instead"})
def new_site(c, folder, name="", cluster=None, owner="", answers=None):
    """Create a complete content folder for a new programme; it builds and passes the gate."""
    from pipeline.scaffold import Answers, ScaffoldError
    from pipeline.scaffold import new_site as scaffold

    if folder in ("--help", "-h"):  # invoke hands a required positional the flag itself
        c.run(f"{sys.executable} -m invoke --help new-site", pty=False)
        return
    try:
        if answers:
            given = Answers.from_file(Path(answers))
        elif name or cluster:
            given = Answers.from_options(name, list(cluster or []), owner)
        elif sys.stdin.isatty():
            given = Answers.ask(input)
        else:
            raise ScaffoldError("keine Angaben — nenne --name und --cluster oder --answers DATEI")
        created = scaffold(ROOT, Path(folder), given)
    except ScaffoldError as error:
        print(f"Nicht angelegt: {error}", file=sys.stderr)
        raise Exit(code=1) from None
    relative = created.folder.relative_to(ROOT).as_posix()
    count = sum(1 for p in created.folder.rglob("*") if p.is_file())
    print(f"Angelegt: {relative}/ ({count} Dateien).")
    if created.changed:
        print(f"Außerdem angepasst (Inhaltsprüfung und Pipelines zeigen auf {relative}): "
              + ", ".join(created.changed))
    for note in created.notes:
        print(f"Hinweis: {note}", file=sys.stderr)
    print(f"""Weiter geht es mit:
  .venv/bin/invoke serve --content {relative}    # Vorschau, baut bei jedem Speichern neu
  .venv/bin/invoke check --content {relative}    # Bauen und Barrierefreiheitsprüfung
  export SLS_CONTENT={relative}                  # dann nutzt jeder Befehl diesen Ordner
Alles mit [PLATZHALTER: …] ersetzen Sie durch echte Angaben; vorher lehnt `invoke publish` ab.""")


@task(help={"k": "only tests matching this expression", "fast": "the fast tier only"})
def test(c, k="", fast=False):
    """Run the whole test suite, both tiers (fails when no test ran). Its slow tier includes the
    accessibility gate over the programme's own site and over the adopters' example
    (tests/test_gate.py), which must pass the same gate with the same code."""
    selection = f"-k {k!r}" if k else ""
    tier = '-m "not slow" -n 2' if fast else ""
    c.run(f"{sys.executable} -m pytest {tier} {selection}", pty=False)


@task(help={"since": "posts published since this date (JJJJ-MM-TT), instead of since the last issue",
            "posts": "exactly these posts, by slug, comma-separated",
            "date": "issue date (default: now)",
            "content": "content folder (default: $SLS_CONTENT, else content/)",
            "output": "output folder (default: output/)",
            "segment": "also as a subscriber of this topic alone gets it (a cluster's or measure's key)"})
@_commands_say_missing_folders
def preview(c, since=None, posts=None, date=None, content=None, output=str(OUTPUT), segment=None):
    """Render the next newsletter issue into output/newsletter-preview/ (HTML, text, .eml)."""
    from plugins.newsletter.rendered_issue import PREVIEW_FOLDER

    request = {"since": since, "posts": [p.strip() for p in posts.split(",") if p.strip()]
               if posts else None, "date": date}
    if segment:  # asked of the programme first: a wrong key is said before anything is rendered
        from pipeline.newsletter_send import segment_problem
        from pipeline.settings import load_settings
        from plugins.programme.programme_file import load_programme

        wrong = segment_problem(segment, load_programme(load_settings(SETTINGS, content)["PROGRAMME_FILE"]))
        if wrong:
            print(wrong, file=sys.stderr)
            raise Exit(code=1)
    _build(SETTINGS, Path(output), content, overrides={"NEWSLETTER_PREVIEW": request})
    folder = Path(output) / PREVIEW_FOLDER
    if not (folder / "issue.html").exists():
        print("Keine neuen Beiträge für den Newsletter – es wurde nichts gerendert.")
        return
    for name in ("issue.html", "issue.txt", "issue.eml"):
        print(folder / name)
    if segment:
        from pipeline.newsletter_send import _sender, preview_segment
        from pipeline.settings import load_settings
        from plugins.programme.programme_file import load_programme

        programme_file = load_settings(SETTINGS, content)["PROGRAMME_FILE"]
        for line in preview_segment(folder, segment, load_programme(programme_file), _sender(programme_file)):
            print(line)


@task(help={"content": "content folder (default: $SLS_CONTENT, else content/)",
            "output": "output folder (default: output/)"})
@_commands_say_missing_folders
def review(c, content=None, output=str(OUTPUT)):
    """Build the site (as `build`) and post links to the changed pages on the merge request."""
    import os

    from pipeline.build import build as build_site
    from pipeline.review_note import post_review_note

    result = build_site(SETTINGS, Path(output), content, keep_generators=True)
    result.print()
    if not result.ok:
        raise Exit(code=1)
    code = post_review_note(os.environ, result.generators, ROOT)
    if code:
        raise Exit(code=code)


@task(help={"test": "send to NEWSLETTER_TEST_RECIPIENTS only",
            "yes": "do not ask for confirmation",
            "verbose": "print every request (secrets are masked)",
            "settings": "settings file (default: publishconf.py)",
            "content": "content folder (default: $SLS_CONTENT, else content/)",
            "force": "SMTP only: send although an earlier attempt may have gone out; with a "
                     "language key (--force=en) that language's edition only",
            "segment": "with --test: the email a subscriber of this topic alone gets"},
      optional=["force"])
@_commands_say_missing_folders
def send(c, test=False, yes=False, verbose=False, settings=str(PUBLISH_SETTINGS), content=None,
         force=False, segment=""):
    """Send the next newsletter issue through NEWSLETTER_PROVIDER, exactly once."""
    import os

    from pipeline.newsletter_send import run_send

    code = run_send(dict(os.environ), test=test, yes=yes, verbose=verbose, settings_file=Path(settings),
                    content=content, force=force, segment=segment or "")
    if code:
        raise Exit(code=code)


@task(help={"settings": "settings file (default: publishconf.py)",
            "content": "content folder (default: $SLS_CONTENT, else content/)"})
@_commands_say_missing_folders
def status(c, settings=str(PUBLISH_SETTINGS), content=None):
    """Show what the mailing provider knows about the last and the next issue."""
    import os

    from pipeline.newsletter_send import run_status

    code = run_status(dict(os.environ), Path(settings), content)
    if code:
        raise Exit(code=code)


@task(help={"quick": "1,000 posts only, one round (for a first look)",
            "seed": "another corpus of the same shape (default 1)",
            "lighthouse-only": "only the Lighthouse scores of the sample site (about a minute)"})
def bench(c, quick=False, seed=1, lighthouse_only=False):
    """Benchmark against plain Pelican and Hugo (1,000 and 10,000 posts) and score four sample
    pages with Lighthouse (mobile); writes benchmarks/results.json. --quick: one round, 1,000 posts
    only. --seed N: another corpus of the same shape. --lighthouse-only: only the scores."""
    from benchmarks.run import main as run_bench

    run_bench(quick, int(seed), lighthouse_only)


ns = Collection(build, clean, rebuild, serve, review, publish, lint, test, check, bench, new_site, translated,
                catalogues,
                Collection("newsletter", preview, send, status))


@task(iterable=["log"],
      help={"log": "an access log of the web server, plain or .gz (repeat; all logs of a month in one run)",
            "subscribers": "also fetch the subscribers per list from NEWSLETTER_PROVIDER (listmonk, Brevo)",
            "replace": "replace a month even if it now has fewer page views than stored",
            "content": "content folder (default: $SLS_CONTENT, else content/)"})
@_commands_say_missing_folders
def reach(c, log=None, subscribers=False, content=None, replace=False):
    """Reach without tracking: page views per month and page from the web server's access logs
    (addresses, user agents and query strings are dropped before counting; robots are skipped) into
    <content>/daten/seitenaufrufe.csv, and with --subscribers the subscribers per list and day into
    <content>/daten/abonnements.csv. The months of this run's logs replace those months in the
    file: count a month from all of its logs in one run (access.log, access.log.1, *.gz)."""
    import os

    from pipeline.reach import run as count_reach

    code = count_reach(dict(os.environ), list(log or []), bool(subscribers), _folder(content), SETTINGS,
                       replace=bool(replace))
    if code:
        raise Exit(code=code)


ns.add_task(reach)


@task(help={"from": "first day of the period, JJJJ-MM-TT",
            "to": "last day of the period, JJJJ-MM-TT (included)",
            "output": "output folder (default: bericht/<from>_<to>/)",
            "content": "content folder (default: $SLS_CONTENT, else content/)"})
@_commands_say_missing_folders
def report(c, from_=None, to=None, output=None, content=None):
    """The report for the funder: a tagged PDF (PDF/UA-1) and CSV files for a period, in German,
    counted from the content the site is built from: posts and events per measure, participants,
    indicators with their charts, reach without tracking. Writes nothing while the content has a
    problem; written whole or not at all."""
    from pipeline.report import run as write_report

    code = write_report(from_, to, output, _folder(content), SETTINGS)
    if code:
        raise Exit(code=code)


ns.add_task(report)
