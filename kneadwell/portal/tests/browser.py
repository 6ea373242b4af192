"""Browser helpers for portal tests: a phone-sized context signed in the way a client signs in,
the weight of a first visit on the wire, and axe-core's accessibility check."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from kneadwell.portal.models import SignInToken, TokenKind

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
BUDGET = 50 * 1024  # bytes on the wire for a first visit: HTML, CSS, JS and images together
SERIOUS = ("serious", "critical")


def phone(browser, live_server, *, width=PHONE, javascript=True):
    """A new page in a fresh context (empty cache, no cookies), phone-sized."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=width,
        java_script_enabled=javascript,
        is_mobile=True,
        has_touch=True,
        # axe-core is injected by evaluate(); the pages' own CSP stays in force otherwise.
        bypass_csp=True,
    )
    return context.new_page()


def sign_in_client(page, account) -> None:
    """Open a fresh sign-in link and give the date of birth, with the keyboard only."""
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    page.goto(reverse("portal:link", args=[secret]))
    born = account.client.birth_date
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_label("Year").press("Enter")
    page.wait_for_url("**/portal/**")


def first_visit_bytes(browser, live_server, path: str, cookies: list[dict]) -> tuple[int, dict]:
    """Bytes on the wire (headers and bodies of every response) to load `path` in a fresh
    context with only the session cookie: nothing cached."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(cookies)
    page = context.new_page()
    seen: list = []
    page.on("requestfinished", lambda request: seen.append(request))
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200, path
    sizes = {}
    for request in seen:
        measured = request.sizes()
        sizes[request.url] = measured["responseBodySize"] + measured["responseHeadersSize"]
    context.close()
    return sum(sizes.values()), sizes


def serious_violations(page) -> list[str]:
    results = Axe().run(
        page,
        options={
            "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
        },
    )
    found = results.response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def fits(page, width: int) -> bool:
    """Nothing wider than the screen: no sideways scrolling at this width."""
    return page.evaluate("document.documentElement.scrollWidth") <= width
