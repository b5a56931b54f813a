"""Site search without third parties: a Pagefind index of the built site, the page /suche/ and
its script, all served from this site."""

from pathlib import Path

from pelican import signals

from .indexer import index_site, write_search_script


def finalized(pelican) -> None:
    output = Path(pelican.output_path)
    write_search_script(output)
    # A development rebuild after post edits keeps the previous index (carried over with the
    # rest of the previous site); every full build, and so `invoke publish`, indexes anew.
    incremental = getattr(pelican.settings.get("SLS_INCREMENTAL"), "plan", None) is not None
    if pelican.settings.get("SEARCH_INDEX", True) and not incremental:
        index_site(output)


def register() -> None:
    signals.finalized.connect(finalized)
