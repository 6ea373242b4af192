"""HTML to PDF with WeasyPrint. The body HTML comes from the same templates as the screen; this
module only wraps it in the printed page (letterhead, margins, page numbers)."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "reports" / "document.css"


def page_html(body_html: str, *, title: str, letterhead, footer: str = "") -> str:
    """The full printed page around `body_html` (already rendered and escaped)."""
    return render_to_string(
        "reports/pdf/document.html",
        {
            "body": body_html,
            "title": title,
            "letterhead": letterhead,
            "footer": footer,
            "css": STYLESHEET.read_text(encoding="utf-8"),
        },
    )


def render(body_html: str, *, title: str, letterhead, footer: str = "") -> bytes:
    """A PDF of `body_html` under the clinic's letterhead. Nothing is fetched from the network
    or the disk: the logo and charts are inline (data: addresses and SVG)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = page_html(body_html, title=title, letterhead=letterhead, footer=footer)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
