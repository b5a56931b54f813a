"""Sign-language videos (programme.yml ``sign_language.videos``), checked with ffprobe.

BITV 2.0 §4 asks for explanations in German Sign Language on the start page, Anlage 2 for what
the videos must meet: at least 320×240 pixels and 25 frames per second, downloadable, with
their size and length stated. A video that falls short is refused at its line in programme.yml;
its captions (WebVTT) and a text version are required too. What the page states (pixels,
length) comes from the file itself, never from a number typed beside it.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from .containment import inside
from .problems import Problem
from .uploads import upload_problems

MIN_WIDTH, MIN_HEIGHT, MIN_FPS = 320, 240, 25  # BITV 2.0, Anlage 2
PROBE_SECONDS = 30
REQUIRED = {"title": "Titel", "file": "Videodatei (MP4 oder WebM)", "captions": "Untertitel (WebVTT)",
            "transcript": "Textfassung"}


class VideoUnreadable(Exception):
    """ffprobe is missing or cannot read the file; the message is German."""


@dataclass(frozen=True)
class VideoFacts:
    width: int
    height: int
    fps: float
    seconds: float

    @property
    def length_de(self) -> str:
        """"2:05 Minuten", "45 Sekunden"."""
        total = round(self.seconds)
        if total < 60:
            return f"{total} Sekunde{'n' if total != 1 else ''}"
        return f"{total // 60}:{total % 60:02d} Minuten"


def probe(path: Path) -> VideoFacts:
    """The first video stream's size and frame rate and the file's length."""
    stat = path.stat()
    return _probe(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _probe(path: str, _mtime: int, _size: int) -> VideoFacts:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise VideoUnreadable("Videos prüft die Website mit ffprobe, das hier fehlt "
                              "(Debian: apt-get install ffmpeg)")
    try:
        done = subprocess.run([ffprobe, "-v", "error", "-print_format", "json", "-show_streams",
                               "-show_format", "--", path], capture_output=True, timeout=PROBE_SECONDS,
                              check=False)
        found = json.loads(done.stdout or b"{}")
    except subprocess.TimeoutExpired:
        raise VideoUnreadable(f"ffprobe brauchte länger als {PROBE_SECONDS} s für die Datei") from None
    except ValueError:
        found = {}
    stream = next((s for s in found.get("streams", []) if s.get("codec_type") == "video"), None)
    if done.returncode != 0 or stream is None:
        raise VideoUnreadable("die Datei ist kein lesbares Video")
    try:
        rate = Fraction(str(stream.get("avg_frame_rate") or "0/1"))
    except (ValueError, ZeroDivisionError):
        rate = Fraction(0)
    if not rate:
        try:
            rate = Fraction(str(stream.get("r_frame_rate") or "0/1"))
        except (ValueError, ZeroDivisionError):
            rate = Fraction(0)
    try:
        seconds = float((found.get("format") or {}).get("duration") or stream.get("duration") or 0)
    except ValueError:
        seconds = 0.0
    return VideoFacts(int(stream.get("width") or 0), int(stream.get("height") or 0), float(rate), seconds)


def facts_of(root: Path, name: Any) -> VideoFacts | None:
    """For templates: the facts of a video in the content folder, or None."""
    if not isinstance(name, str) or not inside(root, name) or not (root / name).is_file():
        return None
    try:
        return probe(root / name)
    except (VideoUnreadable, OSError):
        return None


def video_problems(data: dict[str, Any], lines: dict[tuple[Any, ...], int], source: str,
                   root: Path) -> list[Problem]:
    """Every sign-language video that misses a part or falls short of Anlage 2."""
    videos = (data.get("sign_language") or {}).get("videos") if isinstance(data.get("sign_language"), dict) \
        else None
    if not isinstance(videos, list):
        return []
    problems = []
    for index, video in enumerate(videos):
        where = ("sign_language", "videos", index)
        line = lines.get(where, lines.get(("sign_language", "videos"), 0)) + 1
        if not isinstance(video, dict):
            problems.append(Problem(source, line, f"Video {index + 1} hat keine Angaben",
                                    "schreibe es als „- title: …“ mit file, captions und "
                                    "transcript darunter"))
            continue
        for key, label in REQUIRED.items():
            if not str(video.get(key) or "").strip():
                problems.append(Problem(source, lines.get((*where, key), line - 1) + 1,
                                        f"Video {index + 1}: {label} („{key}“) fehlt",
                                        "Untertitel und Textfassung machen das Video auch für "
                                        "Menschen zugänglich, die es nicht sehen oder hören"))
        name = video.get("file")
        if not isinstance(name, str) or not inside(root, name) or not (root / name).is_file():
            continue  # missing_files reports it
        # A file that is no video of its kind is the upload check's to say (the same line, once).
        refused = upload_problems(root / name, root)
        if refused:
            problems += refused
            continue
        file_line = lines.get((*where, "file"), line - 1) + 1
        try:
            facts = probe(root / name)
        except VideoUnreadable as error:
            problems.append(Problem(source, file_line, f"Video „{name[:80]}“: {error}",
                                    "prüfe die Datei (MP4 mit H.264 oder WebM)"))
            continue
        short = []
        if max(facts.width, facts.height) < MIN_WIDTH or min(facts.width, facts.height) < MIN_HEIGHT:
            short.append(f"{facts.width}×{facts.height} Pixel (mindestens {MIN_WIDTH}×{MIN_HEIGHT})")
        if facts.fps < MIN_FPS - 0.01:
            short.append(f"{facts.fps:g} Bilder pro Sekunde (mindestens {MIN_FPS})")
        if short:
            problems.append(Problem(source, file_line, f"Video „{name[:80]}“ erfüllt BITV 2.0 Anlage 2 "
                                    f"nicht: {' und '.join(short)}",
                                    "exportiere es neu, z. B. mit 1280×720 Pixeln und 25 Bildern "
                                    "pro Sekunde"))
    return problems
