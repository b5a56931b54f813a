"""Settings for the live site: development settings plus the public address."""

from pelicanconf import *  # noqa: F403

# The public address comes from the deployment (SITEURL in the environment, read by
# pipeline/settings.py), never from the repository.
PUBLISHING = True
SITEURL = ""
PUBLIC_URL = ""
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
