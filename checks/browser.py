"""Headless Chromium from Debian, driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import os
import shutil

from .tools import ToolMissing

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these Chromium tries to reach Google's hosts at start, which this network refuses.
FLAGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-gpu", "--disable-quic", "--disable-default-apps"]


class BrowserMissing(ToolMissing):
    """Chromium is not installed."""


def chromium_path() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        raise BrowserMissing("Chromium fehlt – installieren mit: sudo apt-get install chromium "
                             "(oder CHROMIUM=/pfad/zu/chromium setzen)")
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS, headless=True)
