"""No merge-conflict markers are ever committed (a stray one in a stylesheet once slipped
through a merge: browsers skip the broken rule silently, so only this test notices)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)
TEXT = {".py", ".html", ".css", ".js", ".md", ".yaml", ".toml", ".json", ".txt", ""}


def test_no_file_holds_a_merge_conflict_marker():
    places = [ROOT / "kneadwell", ROOT / "docs", ROOT / ".ci"]
    files = [ROOT / name for name in ("README.md", "CHANGELOG.md", "Makefile", "pyproject.toml")]
    files += [f for place in places for f in place.rglob("*") if f.is_file()]
    marked = [
        str(f.relative_to(ROOT))
        for f in files
        if f.suffix in TEXT
        and "__pycache__" not in f.parts
        and MARKER.search(f.read_text(encoding="utf-8", errors="replace"))
    ]
    assert marked == []
