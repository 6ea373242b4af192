"""No internal ids (snake_case tokens such as `buttock_left` or `answered_max1`) in anything a
person reads: the templates, the messages the code raises, the message catalogue, and every
page a demo owner, therapist and front desk can reach (issue 10, item 5)."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kneadwell.accounts.models import User
from kneadwell.conftest import logged_in
from kneadwell.core.tests.test_smoke_crawl import crawl
from kneadwell.demo.clinic import create_demo

ROOT = Path(__file__).resolve().parents[2]  # the kneadwell package
SNAKE = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@])")
# Text that is code, an address or a placeholder of a message, shown as such on purpose.
NOT_WORDS = re.compile(r"https?://\S+|\S+@\S+|`[^`]*`|%\(\w+\)[sdr]|{\w+}")


def snake_tokens(text: str) -> set[str]:
    return set(SNAKE.findall(NOT_WORDS.sub(" ", text)))


class VisibleText(HTMLParser):
    """The text a person sees or hears: element text outside script, style, svg and code, and
    the attributes read out (title, alt, placeholder, aria-label, button values)."""

    HIDDEN = {"script", "style", "code", "svg", "template"}
    SPOKEN = ("title", "alt", "placeholder", "aria-label")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        self.parts += [attrs[name] or "" for name in self.SPOKEN if name in attrs]
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


# --- Templates ------------------------------------------------------------------------------

DJANGO_SYNTAX = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{%.*?%}|{{.*?}}", re.S
)


def template_files() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_shows_an_internal_id(path):
    text = visible_text(DJANGO_SYNTAX.sub(" ", path.read_text()))
    assert snake_tokens(text) == set()


# --- Messages in the code and the message catalogue ------------------------------------------

MESSAGE_CALLS = {
    "success", "info", "warning", "error", "add_message",  # django.contrib.messages
    "ValidationError", "add_error", "HttpError", "PermissionDenied", "Http404",
    "NoteLocked",
}  # fmt: skip
MESSAGE_KEYWORDS = {"label", "help_text", "verbose_name", "empty_label"}
# A model field's help_text documents stored JSON for developers; a form shows its own (and the
# page crawl below would catch one that reached a page).
DEVELOPER_NOTES = {("models.py", "help_text")}


def _strings(node) -> list[str]:
    """The literal text in a string, f-string or concatenation (placeholders left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [" ".join(v.value for v in node.values if isinstance(v, ast.Constant))]
    if isinstance(node, ast.BinOp):
        return _strings(node.left) + _strings(node.right)
    if isinstance(node, ast.Dict):
        return [s for value in node.values for s in _strings(value)]
    return []


def messages_in(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every message the module gives a person."""
    keywords = {k for k in MESSAGE_KEYWORDS if (path.name, k) not in DEVELOPER_NOTES}
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in MESSAGE_CALLS:
                for arg in node.args:
                    found += [(node.lineno, s) for s in _strings(arg)]
            for keyword in node.keywords:
                if keyword.arg in keywords or keyword.arg == "error_messages":
                    found += [(node.lineno, s) for s in _strings(keyword.value)]
        elif isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "error_messages" for t in node.targets
        ):
            found += [(node.lineno, s) for s in _strings(node.value)]
    return found


def code_files() -> list[Path]:
    """The modules whose messages people read. Left out: tests, migrations, and the API
    modules, whose messages name the API's own fields (snake_case by design) for programmers."""
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.parts
        and "migrations" not in p.parts
        and p.name not in ("conftest.py", "api.py")
    )


def test_no_message_in_the_code_shows_an_internal_id():
    found = {
        f"{path.relative_to(ROOT)}:{line}": tokens
        for path in code_files()
        for line, text in messages_in(path)
        if (tokens := snake_tokens(text))
    }
    assert found == {}


def test_the_message_walk_finds_the_messages():
    # The walk above must see real messages, or it would pass by finding nothing.
    texts = [text for path in code_files() for _, text in messages_in(path)]
    assert "Draft saved." in texts
    assert any("cannot be in the future" in text for text in texts)
    assert len(texts) > 150


def test_no_message_in_the_catalogue_shows_an_internal_id():
    catalogue = ROOT / "core" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    translated = [
        line.partition(" ")[2] for line in catalogue.read_text().splitlines()
        if line.startswith(("msgstr", '"'))
    ]  # fmt: skip
    assert snake_tokens(" ".join(translated)) == set()


# --- Every page a demo person reaches -----------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    ["tess@demo.kneadwell.test", "owner@demo.kneadwell.test", "desk@demo.kneadwell.test"],
)
def test_no_page_a_demo_person_reaches_shows_an_internal_id(db, email):
    create_demo()
    found: dict[str, set[str]] = {}

    def check(path, html):
        body = html.split("<main", 1)[-1]
        if tokens := snake_tokens(visible_text(body)):
            found[path] = tokens

    statuses = crawl(logged_in(User.objects.get(email=email)), "/clients/", 250, on_page=check)
    assert len(statuses) > 50
    assert found == {}
