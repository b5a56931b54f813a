"""The editors' content check: every file validated, no pages built, no browser.

    python -m plugins.programme.content_check [--content DIR] [--programme FILE]

Used by `invoke check --content` and the pre-commit hook. Reports the same
``path:line: problem — fix`` lines as the build, all at once, exit 1 on any.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .crossfile import duplicate_slugs, missing, resolve, unpublished
from .post_source import PostSource, read_post
from .problems import ContentProblemsError, Problem, display_path
from .registry import load_programme
from .schema import ARTICLE, PAGE
from .slugs import german_slug

ARTICLE_DIRS = ("posts",)
PAGE_DIRS = ("pages",)


def check_content(content: Path, programme_file: Path, timezone: str = "Europe/Berlin") -> list[Problem]:
    """All problems in ``content`` (posts and pages) and in the programme data."""
    try:
        programme = load_programme(display_path(programme_file))
    except ContentProblemsError as error:
        return error.problems
    sources: dict[str, tuple[str, PostSource]] = {}
    for kind, folders in ((ARTICLE, ARTICLE_DIRS), (PAGE, PAGE_DIRS)):
        for folder in folders:
            for path in sorted((content / folder).rglob("*.md")):
                text = path.read_text(encoding="utf-8")
                post = read_post(display_path(path), text, programme, kind, str(content), timezone)
                sources[path.relative_to(content).as_posix()] = (kind, post)
    problems = [problem for _kind, post in sources.values() for problem in post.problems]
    problems += _duplicate_slugs(sources)
    problems += _links(sources, content)
    return sorted(set(problems))


def _duplicate_slugs(sources: dict[str, tuple[str, PostSource]]) -> list[Problem]:
    return duplicate_slugs(
        ((kind, post.meta.get("lang", "de"), post.meta.get("slug") or german_slug(str(post.meta["title"]))),
         post.path, post.lines.get("slug", post.lines.get("title", 1)))
        for kind, post in sources.values() if post.meta.get("title") is not None)


def _links(sources: dict[str, tuple[str, PostSource]], content: Path) -> list[Problem]:
    problems = []
    for relative_source, (_kind, post) in sources.items():
        for link in post.links:
            target = resolve(relative_source, link.target)
            if target is None:
                continue
            if link.what == "filename" and target in sources:
                if sources[target][1].meta.get("status", "published") != "published":
                    problems.append(unpublished(post.path, link.line, link.target))
            elif not (content / target).is_file():
                problems.append(missing(post.path, link.line, link.target, link.what))
    return problems


def main(argv: list[str] | None = None) -> int:
    default_content = os.environ.get("SLS_CONTENT", "content")
    parser = argparse.ArgumentParser(description="Check content without building the site.")
    parser.add_argument("--content", default=default_content)
    parser.add_argument("--programme", default=None)
    parser.add_argument("files", nargs="*", help="ignored: the whole content is always checked")
    args = parser.parse_args(argv)
    content = Path(args.content).resolve()
    programme = Path(args.programme or os.environ.get("SLS_PROGRAMME") or content / "programme.yml")
    problems = check_content(content, programme.resolve())
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} Problem{'e' if len(problems) != 1 else ''} im Inhalt.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
