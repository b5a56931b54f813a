"""Pelican settings for development builds. publishconf.py extends them for the live site.

No value here comes from the environment: pipeline/settings.py reads it, once per command,
on top of this file (SLS_CONTENT, SITEURL, SLS_NOW …; the README lists them).
"""

import os

from jinja2 import FileSystemBytecodeCache

from plugins.programme.locations import PROGRAMME_FILENAME

HERE = os.path.dirname(os.path.abspath(__file__))

# Another municipality adopts the project by pointing these at its own folder
# (SLS_CONTENT, SLS_PROGRAMME, or --content).
PATH = os.path.join(HERE, "content")
PROGRAMME_FILE = os.path.join(PATH, PROGRAMME_FILENAME)

SITENAME = "stadt.land.smart"
SITEURL = ""
RELATIVE_URLS = False
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
DEFAULT_DATE_FORMAT = "%d.%m.%Y"

# Plugins are the project's installed `plugins` package (make installs it into .venv).
# The order is the order of the generators' output (docs/architecture.md, "Order within a
# build"): posts, pages, measure and cluster pages; the print editions (made while those pages
# are written; the event and newsletter pages after them offer the PDFs); the search index
# (it reads the written posts); then feeds, events, newsletter and /admin/. plugins.engine
# decides what each build writes and where.
PLUGINS = ["plugins.programme", "plugins.web", "plugins.paper", "plugins.search", "plugins.feeds",
           "plugins.events", "plugins.newsletter", "plugins.cms", "plugins.engine"]

THEME = os.path.join(HERE, "theme")
THEME_STATIC_DIR = "theme"
THEME_STATIC_PATHS = ["static"]
os.makedirs(os.path.join(HERE, ".cache", "jinja"), exist_ok=True)
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                     # Each build makes its environments anew: no template changes within one, and
                     # without this every page would look at the dates of its templates' files.
                     "auto_reload": False,
                     # Compiled templates survive between builds (a tenth of a small rebuild).
                     "bytecode_cache": FileSystemBytecodeCache(os.path.join(HERE, ".cache", "jinja"))}

ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "videos"]  # videos: self-hosted sign-language videos
ARTICLE_EXCLUDES = ["admin"]
PAGE_EXCLUDES = ["admin"]
IGNORE_FILES = [".#*", "*.yml", "*.yaml", "README.md"]
USE_FOLDER_AS_CATEGORY = False
# Dates come from the front matter (a post without one is refused at its line), never from a
# file name: Pelican's default reads "2024-05-01-…" names with dateutil, a third of a millisecond
# per file in the process that all reading waits for, only for the front matter to override it.
FILENAME_METADATA = ""
WITH_FUTURE_DATES = False  # future-dated posts wait as drafts
SLUGIFY_SOURCE = "title"

# Bodies are CommonMark with GitHub's tables, strikethrough, links and footnotes
# (plugins/programme/markdown_body.py). The footnote back-link's title is what screen readers
# read out for its "↩".
FOOTNOTE_BACKLINK_TITLE = "Zurück zur Fußnote {number} im Text"

# Addresses. Articles live under their year so slugs stay short.
ARTICLE_URL = "aktuelles/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "aktuelles/{date:%Y}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/aktuelles/{date:%Y}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/aktuelles/{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
TAG_URL = "themen/{slug}/"
TAG_SAVE_AS = "themen/{slug}/index.html"
TAGS_URL = "themen/"
TAGS_SAVE_AS = "themen/index.html"
# Drafts are never written: a draft URL would be public on a static host.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
# Measures and clusters replace Pelican's categories, authors and date archives.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

# Home page, the paginated archive of all updates ("index"), tags and 404.
DIRECT_TEMPLATES = ["home", "index", "tags", "notfound", "search"]
HOME_SAVE_AS = "index.html"
HOME_URL = ""
INDEX_SAVE_AS = "aktuelles/index.html"
INDEX_URL = "aktuelles/"
SEARCH_SAVE_AS = "suche/index.html"
# The Pagefind index of the built site (plugins/search). SLS_SEARCH_INDEX=0 leaves it out, for
# test builds that are about something else; every real build and `invoke publish` index.
SEARCH_INDEX = True
# Posts per part of the index (plugins/search/indexer.py): bounds the memory of each Pagefind run.
SEARCH_PART_PAGES = 400  # SLS_SEARCH_PART_PAGES
# Print editions (plugins/paper): SLS_PRINT=0 leaves them out (a machine without WeasyPrint's
# system libraries).
PRINT_EDITIONS = True
# What goes on paper, bounded so that printing costs the same however long the archive grows:
# the newest issues (both sizes; older archive pages print from the browser) and posters for the
# events starting within the next days.
PRINT_ISSUES = 1
PRINT_POSTER_DAYS = 90
# The build's one "now" (ISO 8601; None: the clock). SLS_NOW sets it, for tests and previews.
BUILD_CLOCK = None
# A cold build with at least this many posts parses and writes on every core
# (SLS_PARALLEL_MIN_FILES lowers it, for tests that must see the parallel paths).
PARALLEL_MIN_FILES = 200
SEARCH_URL = "suche/"
NOTFOUND_SAVE_AS = "404.html"
NOTFOUND_URL = "404.html"
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/seite/{number}/", "{base_name}/seite/{number}/index.html"),
)

# Feeds (plugins/feeds): absolute URLs need a base even in development.
PUBLIC_URL = "http://127.0.0.1:8000"  # SITEURL from the environment, when set
FEED_MAX_ITEMS = 50  # entries in every feed (the newest); the pages list all

# Pelican's own feeds are replaced by the feeds plugin (feedgen); None switches them off.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
# An original and its translations share one key: the original's file path without ".md"
# (plugins/programme/tree.py); a slug alone would pair two posts of different years.
ARTICLE_TRANSLATION_ID = "translation_key"
PAGE_TRANSLATION_ID = "translation_key"

# Development: reuse parsed content between builds of `invoke serve`.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
CACHE_PATH = os.path.join(HERE, ".cache")
GZIP_CACHE = False  # compressing the cache costs more time than reading a bigger file saves

# Number of updates on the home page.
HOME_LATEST_COUNT = 6

# The last `invoke check` report; the accessibility statement shows its date and result.
ACCESSIBILITY_REPORT_FILE = os.path.join(HERE, "reports", "accessibility.json")
