"""Settings for the live site: development settings plus the public address."""

import importlib
import os

import pelicanconf

# Re-read: the environment (SLS_CONTENT, SITEURL …) may differ from an earlier build in this process.
importlib.reload(pelicanconf)
from pelicanconf import *  # noqa: E402, F403

# The public address comes from the deployment, never from the repo's defaults.
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
PUBLIC_URL = SITEURL
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
