"""Settings for the live site: development settings plus the public address."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

# The public address comes from the deployment, never from the repo's defaults.
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
PUBLIC_URL = SITEURL
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
