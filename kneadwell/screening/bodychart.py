"""The body chart: front and back outlines with named regions, drawn as SVG on the server.

Region ids are the knowledge base's body regions. The low back follows Dionne 2008 (twelfth ribs
to the gluteal folds: low_back, sacrum and both buttocks) and the neck Guzman 2008 (nuchal line
to the spine of the scapula); see body_regions.yaml. Left and right are the client's own sides.
The same markup serves intake, visit notes and printouts; a checkbox list is the real input.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import forms

from kneadwell.knowledge.loader import load_knowledge

WIDTH, HEIGHT = 200, 450
Points = tuple[tuple[int, int], ...]

# Outlines drawn for the side on the viewer's left; the other side is the mirror image.
# In the front view the viewer's left is the client's right; in the back view, their left.
_LIMBS: dict[str, Points] = {
    "shoulder": ((84, 82), (76, 84), (58, 90), (50, 110), (70, 112), (76, 98)),
    "upper_arm": ((50, 110), (70, 112), (66, 170), (46, 166)),
    "forearm": ((46, 166), (66, 170), (60, 228), (42, 224)),
    "hand": ((42, 224), (60, 228), (60, 256), (38, 252)),
    "knee": ((77, 330), (97, 330), (96, 356), (78, 356)),
    "foot": ((82, 420), (94, 420), (98, 440), (72, 440)),
}
_FRONT_SIDE: dict[str, Points] = {
    **_LIMBS,
    "hip": ((70, 232), (74, 246), (77, 270), (66, 262), (65, 240)),
    "thigh_front": ((74, 246), (99, 248), (97, 330), (77, 330), (77, 270)),
    "lower_leg_front": ((78, 356), (96, 356), (94, 420), (82, 420)),
}
_BACK_SIDE: dict[str, Points] = {
    **_LIMBS,
    "hip": ((70, 205), (68, 232), (72, 262), (64, 250), (63, 222)),
    "buttock": ((70, 205), (88, 205), (100, 240), (99, 262), (72, 262), (68, 232)),
    "thigh_back": ((72, 262), (99, 262), (97, 330), (77, 330)),
    "calf": ((78, 356), (96, 356), (94, 420), (82, 420)),
}
_FRONT_MIDDLE: dict[str, Points] = {
    "neck_anterior": ((90, 60), (110, 60), (116, 82), (84, 82)),
    "chest": ((84, 82), (116, 82), (124, 84), (128, 160), (72, 160), (76, 84)),
    "abdomen": ((72, 160), (128, 160), (130, 232), (101, 248), (99, 248), (70, 232)),
}
_BACK_MIDDLE: dict[str, Points] = {
    # Superior nuchal line (skull base) to the spine of the scapula.
    "neck_posterior": ((90, 56), (110, 56), (116, 82), (124, 98), (76, 98), (84, 82)),
    "upper_back": ((76, 98), (124, 98), (128, 165), (72, 165)),
    # Lower margin of the twelfth ribs to the iliac crests; sacrum and buttocks continue the
    # consensus low back down to the gluteal folds.
    "low_back": ((72, 165), (128, 165), (130, 205), (70, 205)),
    "sacrum": ((88, 205), (112, 205), (100, 240)),
}
_HEAD = "M100,6 C86,6 78,18 78,34 C78,50 88,60 100,60 C112,60 122,50 122,34 C122,18 114,6 100,6 Z"


def _points(points: Points) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def _mirror(points: Points) -> Points:
    return tuple((WIDTH - x, y) for x, y in points)


def _view(middle: dict[str, Points], side: dict[str, Points], left: str) -> dict[str, str]:
    """Region id -> SVG path data; ``left`` is the client side drawn on the viewer's left."""
    right = "left" if left == "right" else "right"
    shapes = {"head": _HEAD}
    shapes |= {region: "M" + _points(points) + " Z" for region, points in middle.items()}
    for part, points in side.items():
        shapes[f"{part}_{left}"] = "M" + _points(points) + " Z"
        shapes[f"{part}_{right}"] = "M" + _points(_mirror(points)) + " Z"
    return shapes


VIEWS: dict[str, dict[str, str]] = {
    "front": _view(_FRONT_MIDDLE, _FRONT_SIDE, left="right"),
    "back": _view(_BACK_MIDDLE, _BACK_SIDE, left="left"),
}
VIEW_CAPTIONS = {
    "front": "Front (the client's right is on your left)",
    "back": "Back (the client's left is on your left)",
}


def drawn_regions() -> list[str]:
    """Regions that can be marked on the chart, in knowledge-base order."""
    drawn = set(VIEWS["front"]) | set(VIEWS["back"])
    return [region for region in load_knowledge().body_regions if region in drawn]


def region_names(regions: Iterable[str]) -> list[str]:
    """Names of the regions, in knowledge-base order (unknown ids are kept as they are)."""
    names = {r.id: r.name for r in load_knowledge().body_regions.values()}
    wanted = set(regions)
    ordered = [names[r] for r in names if r in wanted]
    return ordered + sorted(r for r in wanted if r not in names)


def render_body_chart(selected: Iterable[str], name: str) -> str:
    """SVG of both views with the selected regions hatched and outlined, and a text summary.

    ``name`` is the form field the chart belongs to; the script pairs regions with its boxes.
    """
    selected = set(selected)
    names = {r.id: r.name for r in load_knowledge().body_regions.values()}
    hatch = f"bodychart-hatch-{escape(name)}"
    parts = [f'<div class="bodychart" data-field="{escape(name)}" data-hatch="{hatch}">']
    for view, shapes in VIEWS.items():
        caption = VIEW_CAPTIONS[view]
        parts.append(f'<figure class="bodychart-view"><figcaption>{caption}</figcaption>')
        parts.append(
            f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
            f'aria-hidden="true" focusable="false" class="bodychart-svg">'
        )
        if view == "front":
            parts.append(
                f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse"'
                ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6c9a8"/>'
                '<line x1="0" y1="0" x2="0" y2="6" stroke="#7a2e0e" stroke-width="2.5"/>'
                "</pattern></defs>"
            )
        for region, path in shapes.items():
            marked = region in selected
            fill = f"url(#{hatch})" if marked else "#ffffff"
            css = "bodychart-region is-selected" if marked else "bodychart-region"
            label = escape(names.get(region, region))
            parts.append(
                f'<path class="{css}" data-region="{region}" d="{path}" fill="{fill}">'
                f"<title>{label}</title></path>"
            )
        parts.append("</svg></figure>")
    marked_names = ", ".join(escape(n) for n in region_names(selected)) or "none"
    parts.append(
        f'<p class="bodychart-summary" aria-live="polite">Marked: '
        f'<span class="bodychart-marked">{marked_names}</span></p></div>'
    )
    return "".join(parts)


class BodyChartWidget(forms.CheckboxSelectMultiple):
    """The chart above a plain checkbox list; without JavaScript the list is the whole input."""

    template_name = "screening/partials/body_chart.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["body_chart"] = render_body_chart(context["widget"]["value"] or [], name)
        return context


class BodyChartField(forms.MultipleChoiceField):
    """Body regions marked on the chart, as knowledge-base region ids."""

    widget = BodyChartWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        names = {r.id: r.name for r in load_knowledge().body_regions.values()}
        self.choices = [(region, names[region]) for region in drawn_regions()]
