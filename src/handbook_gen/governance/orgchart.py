"""The org chart (组织架构图): an inline SVG drawn from the department registry.

Layout: a top-down tree. A department's sub-departments that have no children of their
own hang in columns of at most four under a short spine (so a general manager with a
dozen departments stays narrow enough to read and print); departments with children
of their own get their own subtree. Every box links to the department's page; labels
are the registry names at a readable size. No JavaScript, no ``style=``; the result is
deterministic for a given registry. Any depth of nesting is drawn without recursion:
subtrees are laid out bottom-up and placed by reference, then flattened in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Callable

from handbook_gen.core.svg import NS, attr, num, text_width
from handbook_gen.render.state import department_tree

FONT = 14
BOX_H = 34
PAD = 12
MIN_W = 72
H_GAP = 18
V_GAP = 34
STACK = 4
STACK_INDENT = 18
STACK_GAP = 10
MARGIN = 8
# Colours are the theme's (governance.css: .org-* classes over the palette), so the chart
# follows the colour scheme; the attributes here (currentColor, outlines) are what shows
# without the stylesheet.


@dataclass
class _Block:
    width: float
    height: float
    attach: float
    """x where the line from above meets the block (relative to its left edge)."""
    shapes: list = field(default_factory=list)
    """("box", x, y, w, dept), ("line", x1, y1, x2, y2) and ("block", dx, dy, _Block),
    relative to the block."""


def _box_w(dept) -> float:
    return max(MIN_W, text_width(dept.name, FONT) + 2 * PAD)


def _flatten(block: _Block, dx: float, dy: float) -> list:
    """The boxes and lines of `block` and its sub-blocks, in order, moved by (dx, dy)."""
    out = []
    stack = [(iter(block.shapes), dx, dy)]
    while stack:
        shapes, x, y = stack[-1]
        s = next(shapes, None)
        if s is None:
            stack.pop()
        elif s[0] == "block":
            stack.append((iter(s[3].shapes), x + s[1], y + s[2]))
        elif s[0] == "box":
            out.append(("box", s[1] + x, s[2] + y, s[3], s[4]))
        else:
            out.append(("line", s[1] + x, s[2] + y, s[3] + x, s[4] + y))
    return out


def _stack(leaves: list) -> _Block:
    """Leaf departments in one column under a spine at x = STACK_INDENT / 2."""
    spine = STACK_INDENT / 2
    shapes, y = [], 0.0
    for d in leaves:
        y += STACK_GAP
        shapes.append(("line", spine, y + BOX_H / 2, STACK_INDENT, y + BOX_H / 2))
        shapes.append(("box", STACK_INDENT, y, _box_w(d), d))
        y += BOX_H
    shapes.insert(0, ("line", spine, 0, spine, y - BOX_H / 2))
    return _Block(STACK_INDENT + max(_box_w(d) for d in leaves), y, spine, shapes)


def _columns(leaves: list) -> list[list]:
    """Split a run of leaves into balanced columns of at most STACK."""
    count = -(-len(leaves) // STACK)
    size, extra = divmod(len(leaves), count)
    out, i = [], 0
    for k in range(count):
        n = size + (1 if k < extra else 0)
        out.append(leaves[i:i + n])
        i += n
    return out


def _tree(root, children: dict) -> _Block:
    """The block of `root`'s subtree: every department's block after its children's."""
    order, todo = [], [root]
    while todo:
        d = todo.pop()
        order.append(d)
        todo.extend(children.get(d.id, []))
    blocks: dict[str, _Block] = {}
    for d in reversed(order):
        blocks[d.id] = _node(d, children, blocks)
    return blocks[root.id]


def _node(dept, children: dict, blocks: dict) -> _Block:
    """One department's block, its sub-departments' blocks already in `blocks`."""
    box_w = _box_w(dept)
    kids = children.get(dept.id, [])
    if not kids:
        return _Block(box_w, BOX_H, box_w / 2, [("box", 0, 0, box_w, dept)])
    items: list[_Block] = []
    run: list = []
    for kid in kids + [None]:
        if kid is not None and not children.get(kid.id):
            run.append(kid)
            continue
        if run:
            items.extend(_stack(col) for col in _columns(run))
            run = []
        if kid is not None:
            items.append(blocks[kid.id])
    xs, x = [], 0.0
    for item in items:
        xs.append(x)
        x += item.width + H_GAP
    attaches = [x0 + item.attach for x0, item in zip(xs, items)]
    mid = (attaches[0] + attaches[-1]) / 2
    shift = max(0.0, box_w / 2 - mid)
    mid += shift
    bus_y, top = BOX_H + V_GAP / 2, BOX_H + V_GAP
    shapes = [("box", mid - box_w / 2, 0, box_w, dept), ("line", mid, BOX_H, mid, bus_y)]
    if len(items) > 1:
        shapes.append(("line", attaches[0] + shift, bus_y, attaches[-1] + shift, bus_y))
    for x0, a, item in zip(xs, attaches, items):
        shapes.append(("line", a + shift, bus_y, a + shift, top))
        shapes.append(("block", x0 + shift, top, item))
    width = max(x - H_GAP + shift, mid + box_w / 2)
    return _Block(width, top + max(item.height for item in items), mid, shapes)


def org_svg(departments: list, href: Callable[[object], str], title: str = "组织架构图",
            tree: tuple | None = None) -> str:
    """The chart for `departments` (registry order); href(dept) gives each box's link;
    `tree` is their render.state.department_tree when the caller has it."""
    roots, children = tree or department_tree(departments)
    blocks = [_tree(r, children) for r in roots]
    shapes, x = [], float(MARGIN)
    for b in blocks:
        shapes.extend(_flatten(b, x, MARGIN))
        x += b.width + H_GAP * 2
    width = x - H_GAP * 2 + MARGIN if blocks else 2 * MARGIN
    height = max((b.height for b in blocks), default=0) + 2 * MARGIN
    root_ids = {r.id for r in roots}
    out = [f'<svg xmlns="{NS}" class="org-svg" viewBox="0 0 {num(width)} {num(height)}" '
           f'width="{num(width)}" height="{num(height)}" font-size="{FONT}" fill="currentColor">',
           f"<title>{escape(title)}</title>"]
    for s in shapes:
        if s[0] == "line":
            out.append(f'<path class="org-line" d="M{num(s[1])} {num(s[2])}L{num(s[3])} '
                       f'{num(s[4])}" fill="none" stroke="currentColor" stroke-width="1.2"/>')
    for s in shapes:
        if s[0] != "box":
            continue
        _, bx, by, bw, d = s
        kind = "org-root" if d.id in root_ids else "org-box"
        out.append(f'<a href="{attr(href(d))}"><title>{escape(d.name)}（{escape(d.id)}）</title>'
                   f'<rect x="{num(bx)}" y="{num(by)}" width="{num(bw)}" height="{BOX_H}" '
                   f'rx="4" class="{kind}" fill="none" stroke="currentColor" stroke-width="1.2"/>'
                   f'<text class="{kind}-name" x="{num(bx + bw / 2)}" '
                   f'y="{num(by + BOX_H / 2 + FONT * 0.36)}" text-anchor="middle">'
                   f'{escape(d.name)}</text></a>')
    out.append("</svg>")
    return "\n".join(out)
