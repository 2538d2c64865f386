"""A PNG picture of a topology for link previews (Open Graph), drawn with Pillow."""

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 70
NODE_W, NODE_H = 120, 60
COLORS = {
    "users": "#0ea5e9",
    "load_balancer": "#8b5cf6",
    "web_server": "#10b981",
    "database": "#f97316",
}
DEFAULT_COLOR = "#64748b"
# A font with Hangul first (Debian's fonts-nanum, installed by `make run`), so Korean titles read;
# Pillow's own font otherwise.
KOREAN_FONTS = (Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),)
BACKGROUND = "#f8fafc"
INK = "#0f172a"


def place(node: dict, axis: str) -> float:
    """A node's place on the canvas; a document may leave it out, and the editor then puts it at 0.
    (Rows saved before validation was as strict as now may hold anything: that counts as 0 too.)"""
    value = node.get(axis, 0)
    return value if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e9 else 0


def listed(document: dict, name: str) -> list[dict]:
    """The document's nodes or edges that are objects; none when the field is not a list."""
    items = document.get(name)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def layout(nodes: list[dict]) -> tuple[float, float, float]:
    """Scale and offsets that fit every node's box inside the picture, never enlarging past 1.5x."""
    if not nodes:
        return 1.0, WIDTH / 2, HEIGHT / 2
    xs = [place(n, "x") for n in nodes]
    ys = [place(n, "y") for n in nodes]
    span_x = max(xs) - min(xs) + NODE_W
    span_y = max(ys) - min(ys) + NODE_H
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN - 60) / span_y, 1.5)
    offset_x = WIDTH / 2 - scale * (min(xs) + max(xs)) / 2
    offset_y = (HEIGHT + 60) / 2 - scale * (min(ys) + max(ys)) / 2
    return scale, offset_x, offset_y


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    for path in KOREAN_FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def render_png(document: dict) -> bytes:
    document = document if isinstance(document, dict) else {}
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font, label_font = font(40), font(20)
    title = document.get("title")
    draw.text((MARGIN, 36), title[:80] if isinstance(title, str) and title else "Untitled topology", fill=INK,
              font=title_font)  # fmt: skip
    nodes = [node for node in listed(document, "nodes") if isinstance(node.get("id"), str)]
    scale, ox, oy = layout(nodes)
    where = {n["id"]: (ox + scale * place(n, "x"), oy + scale * place(n, "y")) for n in nodes}
    half_w, half_h = scale * NODE_W / 2, scale * NODE_H / 2
    for edge in listed(document, "edges"):
        if all(isinstance(edge.get(end), str) and edge[end] in where for end in ("from", "to")):
            (x1, y1), (x2, y2) = where[edge["from"]], where[edge["to"]]
            draw.line([(x1 + half_w, y1), (x2 - half_w, y2)], fill="#94a3b8", width=4)
    for node in nodes:
        x, y = where[node["id"]]
        kind = node.get("kind")
        color = COLORS.get(kind, DEFAULT_COLOR) if isinstance(kind, str) else DEFAULT_COLOR
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        draw.rounded_rectangle(box, radius=12 * scale, fill="white", outline=color, width=4)
        label = node.get("label")
        label = (label if isinstance(label, str) and label else node["id"])[:16]
        draw.text((x, y), label, fill=INK, font=label_font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
