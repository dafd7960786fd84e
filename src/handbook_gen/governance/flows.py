"""Process flows as a governance feature: their departments checked against the registry
and their figures drawn. The ```` ```flow ```` syntax and its parsing are the Markdown
layer's (markdown/fences/flow.py); this module works on the parsed Flows.

Departments are checked once the handbook is assembled (HB311). Rendering turns each flow
into a figure: an inline SVG flowchart (one column, side lanes for jumps and loops) and a
step table with links to the responsible departments' pages; pages fill the flow
placeholders with ``flow_html`` (placeholders.fill_flows).
"""
from __future__ import annotations

from html import escape

from handbook_gen.core.diagnostics import DID_YOU_MEAN, Diagnostics, closest
from handbook_gen.core.model import Department, Handbook
from handbook_gen.core.svg import NS, attr, fit, num, text_width
from handbook_gen.core.urls import department_url, relative
from handbook_gen.markdown.fences.flow import END_WORDS, Flow, Step, edges


# ---- registry checks ------------------------------------------------------------------

def find_department(text: str, departments: dict) -> Department | None:
    """A department by registry id or by its exact name."""
    dept = departments.get(text)
    if dept is None:
        dept = next((d for d in departments.values() if d.name == text), None)
    return dept


def check_flows(hb: Handbook, diags: Diagnostics) -> None:
    """Every responsible department of every flow must be in the registry (HB311)."""
    candidates = list(hb.departments) + [d.name for d in hb.departments.values()]
    bodies = [p.body for p in hb.policies.values()] + [c.body for c in hb.chapters]
    for body in bodies:
        for flow in getattr(body, "flows", ()):
            for step in flow.steps:
                for party in step.parties:
                    if not party.role and find_department(party.text, hb.departments) is None:
                        guess = closest(party.text, candidates)
                        diags.add("HB311", "step '{step}': unknown department '{dept}'",
                                  party.location, hint=DID_YOU_MEAN if guess else
                                  "use a registry id or name; write a role that is not a "
                                  "department in brackets, e.g. [申请部门]", step=step.name,
                                  dept=party.text, guess=guess)


def departments_of(flow: Flow, departments: dict) -> list[str]:
    """Ids of the registry departments responsible for some step, in order of appearance."""
    found: list[str] = []
    for step in flow.steps:
        for party in step.parties:
            dept = None if party.role else find_department(party.text, departments)
            if dept and dept.id not in found:
                found.append(dept.id)
    return found


# ---- rendering -------------------------------------------------------------------------

FONT = 13
PAD = 12
GAP = 36
MARGIN = 10
LANE = 16
BOX_H = 46
DIAMOND_H = 70
PILL_W, PILL_H = 64, 28
MIN_W, MAX_W = 150, 300
# Colours are the theme's (governance.css: .fl-* classes over the palette), so the chart
# follows the colour scheme; the attributes here (currentColor, outlines) are what shows
# without the stylesheet.


def _party_names(step: Step, departments: dict) -> list[str]:
    names = []
    for party in step.parties:
        dept = None if party.role else find_department(party.text, departments)
        names.append(dept.name if dept else party.text)
    return names


class _Node:
    def __init__(self, kind: str, cy: float, w: float, h: float, lines: tuple[str, str],
                 href: str | None = None, tip: str = ""):
        self.kind, self.cy, self.w, self.h, self.lines = kind, cy, w, h, lines
        self.href, self.tip = href, tip

    @property
    def top(self) -> float:
        return self.cy - self.h / 2

    @property
    def bottom(self) -> float:
        return self.cy + self.h / 2

    def right(self, cx: float, dy: float) -> float:
        """x of the node's right outline at vertical offset dy from its centre."""
        if self.kind == "decision":
            return cx + self.w / 2 * (1 - min(abs(dy), self.h / 2) / (self.h / 2))
        return cx + self.w / 2


def flow_svg(flow: Flow, departments: dict) -> str:
    """The flowchart of `flow`: start, one node per step (diamonds for decisions), end;
    the next step straight below, other branches along lanes on the right."""
    texts = []
    for i, s in enumerate(flow.steps):
        texts.append((f"{i + 1}. {s.name}", "、".join(_party_names(s, departments))))
    widths = [max(text_width(a, FONT, True), text_width(b, FONT - 1)) + 2 * PAD for a, b in texts]
    box_w = min(max([MIN_W] + [w for w, s in zip(widths, flow.steps) if not s.decision]), MAX_W)
    # the text band of a diamond is narrower: it needs about 1/0.55 of the text width
    nodes = [_Node("pill", 0, PILL_W, PILL_H, ("开始", ""))]
    for (line1, line2), w, s in zip(texts, widths, flow.steps):
        if s.decision:
            dw = min(max(box_w, w / 0.55), MAX_W / 0.55)
            inner = dw * 0.55 - 2 * PAD
            nodes.append(_Node("decision", 0, dw, DIAMOND_H,
                               (fit(line1, FONT, inner, True), fit(line2, FONT - 1, inner)),
                               f"#{flow.anchor}-s{len(nodes)}", f"{s.name}：{s.action}"))
        else:
            inner = box_w - 2 * PAD
            nodes.append(_Node("box", 0, box_w, BOX_H,
                               (fit(line1, FONT, inner, True), fit(line2, FONT - 1, inner)),
                               f"#{flow.anchor}-s{len(nodes)}", f"{s.name}：{s.action}"))
    nodes.append(_Node("pill", 0, PILL_W, PILL_H, ("结束", "")))
    y = MARGIN
    for node in nodes:
        node.cy = y + node.h / 2
        y += node.h + GAP
    height = y - GAP + MARGIN
    col_w = max(node.w for node in nodes)
    cx = MARGIN + col_w / 2

    # edges in node indices: start (0) → first step (1); step i → node i + 1; end = n + 1
    all_edges = [(0, 1, "")] + [(i + 1, j + 1, label) for i, j, label in edges(flow)]
    straight = [e for e in all_edges if e[1] == e[0] + 1]
    side = [e for e in all_edges if e[1] != e[0] + 1]
    # every side edge leaves and enters a node on its right; the edges at one node are
    # spread up to 18px apart (room for a label), those whose other end lies higher above
    ports: dict[int, list] = {}
    for e in side:
        ports.setdefault(e[0], []).append((nodes[e[1]].cy, e, "out"))
        ports.setdefault(e[1], []).append((nodes[e[0]].cy, e, "in"))
    for items in ports.values():
        items.sort(key=lambda x: (x[0], x[2]))

    def offset(node: int, e, role: str) -> float:
        items = ports[node]
        k = next(i for i, x in enumerate(items) if x[1] == e and x[2] == role)
        step = min(18, (nodes[node].h - 8) / max(1, len(items) - 1))
        return (k - (len(items) - 1) / 2) * step

    routes = []
    for e in side:
        a, b, label = e
        ys = nodes[a].cy + offset(a, e, "out")
        yt = nodes[b].cy + offset(b, e, "in")
        routes.append((e, ys, yt))
    label_space = max([text_width(label, FONT - 1) for (_a, _b, label), _, _ in routes] + [0])
    lanes: list[list[tuple[float, float]]] = []
    assigned = []
    for e, ys, yt in sorted(routes, key=lambda r: (abs(r[2] - r[1]), r[1])):
        lo, hi = min(ys, yt) - 4, max(ys, yt) + 4
        for k, spans in enumerate(lanes):
            if all(hi < s_lo or lo > s_hi for s_lo, s_hi in spans):
                spans.append((lo, hi))
                break
        else:
            k = len(lanes)
            lanes.append([(lo, hi)])
        assigned.append((e, ys, yt, k))
    lane0 = cx + col_w / 2 + label_space + 14
    width = (lane0 + (len(lanes) - 1) * LANE + MARGIN) if lanes else \
        cx + col_w / 2 + MARGIN + max([text_width(lbl, FONT - 1) for _, _, lbl in straight] + [0])

    out = [f'<svg xmlns="{NS}" class="flow-svg" viewBox="0 0 {num(width)} {num(height)}" '
           f'width="{num(width)}" height="{num(height)}" font-size="{FONT}" fill="currentColor">',
           f"<title>{escape(('流程图：' + flow.title) if flow.title else '流程图')}</title>"]
    for a, b, label in straight:
        y1, y2 = nodes[a].bottom, nodes[b].top
        out.append(f'<path class="fl-edge" d="M{num(cx)} {num(y1)}V{num(y2 - 1)}" fill="none" '
                   'stroke="currentColor" stroke-width="1.4"/>')
        out.append(_arrow(cx, y2, "down"))
        if label:
            out.append(f'<text class="fl-label" x="{num(cx + 6)}" y="{num((y1 + y2) / 2 + 4)}" '
                       f'font-size="{FONT - 1}">{escape(label)}</text>')
    for (a, b, label), ys, yt, k in sorted(assigned, key=lambda r: (r[0][0], r[0][1])):
        x1 = nodes[a].right(cx, ys - nodes[a].cy)
        x2 = nodes[b].right(cx, yt - nodes[b].cy)
        lx = lane0 + k * LANE
        out.append(f'<path class="fl-edge" d="M{num(x1)} {num(ys)}H{num(lx)}V{num(yt)}'
                   f'H{num(x2 + 1)}" fill="none" stroke="currentColor" stroke-width="1.4"/>')
        out.append(_arrow(x2, yt, "left"))
        if label:
            out.append(f'<text class="fl-label" x="{num(cx + nodes[a].w / 2 + 4)}" '
                       f'y="{num(ys - 4)}" font-size="{FONT - 1}">{escape(label)}</text>')
    for node in nodes:
        out.append(_node_svg(node, cx))
    out.append("</svg>")
    return "\n".join(out)


def _arrow(x: float, y: float, direction: str) -> str:
    if direction == "down":
        pts = [(x - 4, y - 7), (x + 4, y - 7), (x, y)]
    else:
        pts = [(x + 7, y - 4), (x + 7, y + 4), (x, y)]
    points = " ".join(f"{num(px)},{num(py)}" for px, py in pts)
    return f'<polygon class="fl-arrow" points="{points}"/>'


def _node_svg(node: _Node, cx: float) -> str:
    kind = f'class="fl-{node.kind}" fill="none" stroke="currentColor"'
    left, top = cx - node.w / 2, node.top
    if node.kind == "decision":
        shape = (f'<polygon points="{num(cx)},{num(top)} {num(cx + node.w / 2)},{num(node.cy)} '
                 f'{num(cx)},{num(node.bottom)} {num(left)},{num(node.cy)}" {kind} '
                 'stroke-width="1.4"/>')
    else:
        rx = node.h / 2 if node.kind == "pill" else 6
        shape = (f'<rect x="{num(left)}" y="{num(top)}" width="{num(node.w)}" '
                 f'height="{num(node.h)}" rx="{num(rx)}" {kind} stroke-width="1.4"/>')
    line1, line2 = node.lines
    if line2:
        text = (f'<text x="{num(cx)}" y="{num(node.cy - 4)}" text-anchor="middle" '
                f'font-weight="bold">{escape(line1)}</text>'
                f'<text class="fl-who-{node.kind}" x="{num(cx)}" y="{num(node.cy + 14)}" '
                f'text-anchor="middle" font-size="{FONT - 1}">{escape(line2)}</text>')
    else:
        text = (f'<text x="{num(cx)}" y="{num(node.cy + 5)}" text-anchor="middle">'
                f'{escape(line1)}</text>')
    if node.href:
        return (f'<a href="{attr(node.href)}"><title>{escape(node.tip)}</title>'
                f"{shape}{text}</a>")
    return shape + text


def flow_html(flow: Flow, departments: dict, page: str) -> str:
    """The figure for one flow: caption, SVG chart and the step table."""
    names = {s.name: i + 1 for i, s in reversed(list(enumerate(flow.steps)))}
    caption = f"流程图：{flow.title}" if flow.title else "流程图"
    rows = []
    has_output = any(s.output for s in flow.steps)
    for i, s in enumerate(flow.steps):
        parties = []
        for party in s.parties:
            dept = None if party.role else find_department(party.text, departments)
            if dept:
                parties.append(f'<a class="dept" href="{attr(relative(department_url(dept.id), page))}">'
                               f"{escape(dept.name)}</a>")
            else:
                parties.append(f'<span class="flow-role">{escape(party.text)}</span>')
        nexts = []
        for b in s.branches:
            if b.target in END_WORDS:
                target = "结束"
            elif b.target in names:
                target = (f'<a href="#{attr(flow.anchor)}-s{names[b.target]}">'
                          f"{names[b.target]}. {escape(b.target)}</a>")
            else:
                target = escape(b.target)
            nexts.append((f"{escape(b.label)} → " if b.label else "→ ") + target)
        # (classes and data-label: a phone shows each step as a card with labelled fields)
        cells = [f'<td class="flow-no">{i + 1}</td>', f'<td class="flow-name">{escape(s.name)}</td>',
                 f'<td class="flow-party" data-label="责任部门">{"、".join(parties)}</td>',
                 f'<td class="flow-action" data-label="工作内容">{escape(s.action)}</td>']
        if has_output:
            cells.append(f'<td class="flow-output" data-label="输出">{escape(s.output)}</td>')
        cells.append(f'<td class="flow-next" data-label="流向">{"<br>".join(nexts)}</td>')
        rows.append(f'<tr id="{attr(flow.anchor)}-s{i + 1}">{"".join(cells)}</tr>')
    head = ["序号", "步骤", "责任部门", "工作内容"] + (["输出"] if has_output else []) + ["流向"]
    return (f'<figure class="flow" id="{attr(flow.anchor)}">\n'
            f"<figcaption>{escape(caption)}</figcaption>\n"
            f'<div class="flow-chart">{flow_svg(flow, departments)}</div>\n'
            f'<div class="table-scroll"><table class="flow-steps">\n<thead><tr>{"".join(f"<th>{h}</th>" for h in head)}'
            f"</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table></div>\n</figure>\n")

