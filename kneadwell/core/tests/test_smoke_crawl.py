"""Follow every link a demo person can see and check that no page fails.

A net under the access matrices: it reaches pages that no single test thought of.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

from kneadwell.accounts.models import User
from kneadwell.conftest import logged_in
from kneadwell.demo.clinic import create_demo

SKIP = ("/logout", "/static/", "export.csv", "/api/v1/docs")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def crawl(browser, start: str, limit: int) -> dict[str, int]:
    statuses, queue = {}, [start]
    while queue and len(statuses) < limit:
        path = queue.pop(0)
        if path in statuses:
            continue
        response = browser.get(path)
        statuses[path] = response.status_code
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.found:
            url = urlparse(urljoin(f"http://testserver{path}", href))
            if url.netloc != "testserver" or any(s in url.path for s in SKIP):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in statuses:
                queue.append(target)
    return statuses


@pytest.mark.parametrize(
    ("email", "limit"),
    [
        ("tess@demo.kneadwell.test", 250),
        ("owner@demo.kneadwell.test", 250),
        ("desk@demo.kneadwell.test", 120),
    ],
)
def test_no_linked_page_fails_for_a_demo_person(db, email, limit):
    create_demo()
    statuses = crawl(logged_in(User.objects.get(email=email)), "/clients/", limit)
    failed = {path: code for path, code in statuses.items() if code >= 500 or code == 404}
    assert len(statuses) > 50
    assert failed == {}
