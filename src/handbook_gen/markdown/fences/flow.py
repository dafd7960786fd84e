"""The ```` ```flow ```` fenced block: its line syntax, parsed with the Markdown.

Owns the flow syntax (documented in docs/governance.md)::

    ```flow 采购流程
    申请 | [使用部门] | 填写《采购申请单》，注明品名、数量和预算 | 采购申请单
    预算审核 | FIN | 核对预算余额
      预算内 → 询价
      超预算 → 结束
    询价 | 行政部 | 向不少于三家供应商询价比价 | 比价记录
    ```

one step per line (``名称 | 责任部门 | 工作内容 [| 输出]``), branches indented under
their step (``条件 → 目标步骤``; ``→ 目标`` alone is a jump), ``#`` comments. Parsing
happens with the Markdown (per file, cached): syntax, step-name and reachability
problems are reported then (HB310, HB312-HB314). The Flow goes into ParsedBody.flows and
a placeholder into the HTML; governance/flows.py checks its departments against the
registry (HB311) and draws it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from handbook_gen.core.diagnostics import DID_YOU_MEAN, Diagnostics, Location, closest
from handbook_gen.markdown.context import ParseContext
from handbook_gen.markdown.fences.block import FencedBlock
from handbook_gen.markdown.placeholders import flow_mark

END_WORDS = ("结束", "結束", "end", "END")
_BAR = re.compile(r"[|｜]")
_ARROW = re.compile(r"->|→|⟶|=>")
_PARTY_SEP = re.compile(r"[、,，/／]")
_ROLE = re.compile(r"^[\[［【](.+)[\]］】]$")
_COLON = re.compile(r"[:：]")


@dataclass(frozen=True)
class Party:
    """A responsible party: a registry department (id or name) or a bracketed role."""

    text: str
    role: bool
    """True for ``[申请部门]``: shown as written, not checked against the registry."""
    location: Location


@dataclass(frozen=True)
class Branch:
    label: str
    """The condition, e.g. 同意; '' for an unconditional jump."""
    target: str
    """A step name or one of END_WORDS."""
    location: Location


@dataclass(frozen=True)
class Step:
    name: str
    parties: tuple[Party, ...]
    action: str
    output: str
    branches: tuple[Branch, ...]
    location: Location

    @property
    def decision(self) -> bool:
        return any(b.label for b in self.branches)


@dataclass(frozen=True)
class Flow:
    anchor: str
    """Element id of the figure, e.g. ``flow-1``; step rows are ``flow-1-s3``."""
    title: str
    steps: tuple[Step, ...]
    location: Location


def _split(text: str, pattern: re.Pattern) -> list[tuple[int, str]]:
    """Split `text` at `pattern`, keeping each stripped part's start index."""
    parts, start = [], 0
    for m in list(pattern.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip())
        parts.append((start + lead, raw.strip()))
        if m:
            start = m.end()
    return parts


def parse_flow(title: str, lines: list[tuple[int, int, str]], path: str, anchor: str,
               location: Location, diags: Diagnostics) -> Flow:
    """Parse a flow block. `lines` are (line number, column of the text's first
    character, text) of each content line, so diagnostics point into the source."""
    steps: list[dict] = []
    for line_no, col0, text in lines:
        def loc(i: int) -> Location:
            return Location(path, line_no, col0 + i)
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _BAR.search(text):
            fields = _split(text, _BAR)
            if len(fields) < 3 or len(fields) > 4 or not all(f for _, f in fields[:3]):
                diags.add("HB310", "a flow step is '名称 | 责任部门 | 工作内容' with an optional "
                          "'| 输出' (four fields at most)", loc(fields[0][0]),
                          hint="write e.g. 审核 | FIN | 核对预算余额")
                continue
            (name_at, name), (dept_at, depts), (_, action) = fields[:3]
            if _ARROW.search(name) or name in END_WORDS:
                diags.add("HB310", "'{name}' cannot be a step name", loc(name_at),
                          hint="'结束' is reserved for the end of the flow; names have no "
                          "arrows", name=name)
                continue
            parties = []
            for at, part in _split(depts, _PARTY_SEP):
                if not part:
                    continue
                role = _ROLE.match(part)
                parties.append(Party(role[1].strip() if role else part, bool(role),
                                     loc(dept_at + at)))
            if not parties:
                diags.add("HB310", "a flow step needs a responsible department", loc(dept_at),
                          hint="write a department id or name in the second field, e.g. "
                          "审核 | FIN | 核对预算余额")
                continue
            steps.append({"name": name, "parties": tuple(parties), "action": action,
                          "output": fields[3][1] if len(fields) == 4 else "",
                          "branches": [], "location": loc(name_at)})
        elif _ARROW.search(text):
            (label_at, label), (target_at, target) = _split(text, _ARROW)[:2]
            if not steps:
                diags.add("HB310", "a branch must follow the step it leaves", loc(label_at),
                          hint="write the step line first: 审批 | GM | 审批采购申请")
                continue
            if not target:
                diags.add("HB310", "a branch needs a target step after the arrow",
                          loc(target_at - 1 if target_at else label_at),
                          hint="e.g. 同意 → 归档, or → 结束")
                continue
            steps[-1]["branches"].append(Branch(label, target, loc(target_at)))
        elif _COLON.search(stripped):  # fields separated by colons, as in prose
            _colon_line(text, loc, diags)
        else:
            diags.add("HB310", "a flow line is a step (名称 | 责任部门 | 工作内容) or a branch "
                      "(条件 → 步骤)", loc(len(text) - len(text.lstrip())),
                      hint="write e.g. 审核 | FIN | 核对预算余额, or 同意 → 归档")
    flow = Flow(anchor, title, tuple(Step(s["name"], s["parties"], s["action"], s["output"],
                                          tuple(s["branches"]), s["location"]) for s in steps),
                location)
    _check_structure(flow, diags)
    return flow


def _colon_line(text: str, loc, diags: Diagnostics) -> None:
    """HB310 at the first colon of a line that uses colons (``：`` as a Chinese IME types
    it, or ``:``) where a step needs bars or a branch an arrow; the hint is the line
    rewritten: two or more colons make a step, one a branch."""
    parts = [p.strip() for p in _COLON.split(text.strip())]
    fixed = " | ".join(parts) if len(parts) >= 3 else " → ".join(parts)
    colon = _COLON.search(text)
    diags.add("HB310", "'{colon}' does not separate the parts of a flow line: a step "
              "separates its fields with '|', a branch its target with '→'", loc(colon.start()),
              hint="write {fixed}", colon=colon.group(), fixed=fixed)


def _check_structure(flow: Flow, diags: Diagnostics) -> None:
    if not flow.steps:
        diags.add("HB310", "empty flow: it has no steps", flow.location,
                  hint="one step per line: 名称 | 责任部门 | 工作内容")
        return
    seen: set[str] = set()
    for s in flow.steps:
        if s.name in seen:
            diags.add("HB313", "step '{name}' is defined twice in this flow", s.location,
                      hint="give the second step another name", name=s.name)
        seen.add(s.name)
    for s in flow.steps:
        for b in s.branches:
            if b.target not in seen and b.target not in END_WORDS:
                guess = closest(b.target, seen)
                diags.add("HB312", "branch target '{target}' is not a step of this flow",
                          b.location, hint=DID_YOU_MEAN if guess else
                          "name a step, or write 结束 to end the flow", target=b.target,
                          guess=guess)
    reached = {0}
    todo = [0]
    graph: dict[int, list[int]] = {}
    for i, j, _label in edges(flow):
        graph.setdefault(i, []).append(j)
    while todo:
        for j in graph.get(todo.pop(), []):
            if j not in reached:
                reached.add(j)
                todo.append(j)
    for i, s in enumerate(flow.steps):
        if i not in reached:
            diags.add("HB314", "step '{name}' cannot be reached from the first step",
                      s.location, hint="a step after a decision is only reached through a "
                      "branch that names it", name=s.name)


def edges(flow: Flow) -> list[tuple[int, int, str]]:
    """(from step, to step, label); the end of the flow is step len(steps). A step
    without branches continues with the next one; a step with branches goes only
    where they say. Duplicate edges are merged (their labels joined)."""
    index: dict[str, int] = {}
    for i, s in enumerate(flow.steps):
        index.setdefault(s.name, i)
    n = len(flow.steps)
    merged: dict[tuple[int, int], list[str]] = {}
    for i, s in enumerate(flow.steps):
        if not s.branches:
            merged.setdefault((i, i + 1), [])
            continue
        for b in s.branches:
            j = n if b.target in END_WORDS else index.get(b.target)
            if j is not None:
                labels = merged.setdefault((i, j), [])
                if b.label and b.label not in labels:
                    labels.append(b.label)
    return [(i, j, "／".join(labels)) for (i, j), labels in merged.items()]


def flow_block(block: FencedBlock, ctx: ParseContext) -> str:
    """The handler: the block's Flow goes into ctx.flows (its figure and steps take the
    ids ``flow-N`` and ``flow-N-sK``); a placeholder stands for the figure."""
    anchor = ctx.unique_id(f"flow-{len(ctx.flows) + 1}")
    flow = parse_flow(block.title, block.lines, ctx.src.path, anchor, block.location, ctx.diags)
    for k in range(len(flow.steps)):
        ctx.used_ids.add(f"{anchor}-s{k + 1}")
    ctx.flows.append(flow)
    return flow_mark(len(ctx.flows) - 1) + "\n"
