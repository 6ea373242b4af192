"""Analytics sits above visits: nothing below it imports it (not even inside a function), and
it imports neither reports nor the portal."""

import ast
from pathlib import Path

import kneadwell

ROOT = Path(kneadwell.__file__).parent
# Above analytics: the URL conf, the command line and the demo orchestrator (accounts/demo.py
# until the restructure moves it into the top-level demo package).
ALLOWED = {"urls.py", "cli.py", "accounts/demo.py"}
NOT_BELOW = ("kneadwell.reports", "kneadwell.portal", "kneadwell.interop", "kneadwell.api")


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def sources(under: Path):
    return [
        p for p in under.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts
    ]


def test_no_lower_app_imports_analytics():
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources(ROOT)
        if "analytics" not in path.relative_to(ROOT).parts[:1]
        and str(path.relative_to(ROOT)) not in ALLOWED
        and any(name.startswith("kneadwell.analytics") for name in imports(path))
    ]
    assert offenders == []


def test_analytics_imports_nothing_above_it():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path in sources(ROOT / "analytics")
        for name in imports(path)
        if name.startswith(NOT_BELOW)
    ]
    assert offenders == []
