"""Every character Kneadwell shows renders on a stock Debian machine: Debian's browsers fall
back to DejaVu Sans, which has no emoji such as ⛔ or ❗ (issue 10, item 5)."""

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]  # the kneadwell package
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core


def shown_files() -> list[Path]:
    """Templates, static files, knowledge data, the message catalogue and the code's messages."""
    patterns = [
        "templates/**/*.html",
        "static/**/*.css",
        "static/**/*.js",
        "knowledge/data/**/*.yaml",
        "core/locale/**/*.po",
    ]
    code = [p for p in ROOT.rglob("*.py") if "tests" not in p.parts]
    return sorted({p for pattern in patterns for p in ROOT.glob(pattern)} | set(code))


@pytest.fixture(scope="module")
def glyphs() -> set[int]:
    assert FONT.exists(), f"{FONT} is missing: install Debian's fonts-dejavu-core"
    return set(TTFont(FONT).getBestCmap())


def test_the_walk_covers_what_people_see():
    names = {p.relative_to(ROOT).as_posix() for p in shown_files()}
    assert "templates/screening/partials/chart_banner.html" in names
    assert "knowledge/data/red_flags.yaml" in names


def test_every_character_shown_is_in_debians_default_font(glyphs):
    missing = {
        f"{path.relative_to(ROOT)}: {char} (U+{ord(char):04X})"
        for path in shown_files()
        for char in set(path.read_text(encoding="utf-8"))
        if ord(char) > 127 and ord(char) not in glyphs
    }
    assert missing == set()
