"""The conversion report of `handbook import`, as text for a person or JSON for a program,
in the output language (English templates, Chinese from core/messages_zh.py): per file what
was recognised (counts of chapters, articles, items, citations), the front matter found,
whether the written articles carry the source's numbers, and every guess and every loss
with its source paragraph (number and excerpt).
"""
from __future__ import annotations

import json

from handbook_gen.core.diagnostics import Diagnostic
from handbook_gen.core.numerals import article_name
from handbook_gen.core.report import localize, say
from handbook_gen.word.importer import FileResult

LOSSES = frozenset({"HB506", "HB507", "HB508", "HB509", "HB512", "HB513", "HB515"})
"""Codes of what did not come across; HB504/HB505 are citations left as text, the other
import codes guesses, and codes outside HB5xx come from `handbook check` of the written
file."""
_COUNTS = (("part", "{n} parts"), ("subpart", "{n} sub-parts"), ("chapter", "{n} chapters"),
           ("section", "{n} sections"), ("articles", "{n} articles"),
           ("inserted", "{n} of them inserted (之一)"), ("items1", "{n} items"),
           ("items2", "{n} sub-items"), ("items3", "{n} deeper items"),
           ("paragraphs", "{n} further paragraphs"), ("tables", "{n} tables"),
           ("outline", "{n} outline headings"),
           ("auto_numbered", "{n} paragraphs numbered by Word"))


def kind(d: Diagnostic) -> str:
    if not d.code.startswith("HB5"):
        return "check"
    if d.code in ("HB504", "HB505"):
        return "citation"
    return "loss" if d.code in LOSSES else "guess"


def _where(r: FileResult, d: Diagnostic, lang: str) -> str:
    line = d.location.line if d.location else 0
    if not line:
        return say("whole file", lang)
    if not d.code.startswith("HB5"):
        return f"{r.target}:{line}"
    text = r.excerpts.get(line, "")
    unit = "line {n}" if r.source.lower().endswith((".txt", ".md")) else "paragraph {n}"
    return say(unit, lang, n=line) + (f"「{text}」" if text else "")


def _state(r: FileResult, lang: str) -> str:
    if r.refused:
        return say("not imported: {reason}", lang, reason=say(r.refused[0], lang, **r.refused[1]))
    if r.written:
        return say("overwritten" if r.overwrites else "written", lang)
    return say("dry run, would overwrite the file" if r.overwrites else "dry run, nothing written",
               lang)


def text_report(results: list[FileResult], lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    out: list[str] = []
    for r in results:
        state = _state(r, lang)
        out.append(say("import {source} → {target} ({id} 《{title}》): {state}", lang,
                       source=r.source, target=r.target, id=r.id, title=r.title, state=state)
                   if r.target else say("import {source}: {state}", lang, source=r.source,
                                        state=state))
        if not r.markdown:
            out.append("")
            continue
        counts = sep.join(say(t, lang, n=r.counts[k]) for k, t in _COUNTS if r.counts[k])
        out.append(say("  recognised: {counts}", lang, counts=counts))
        out.append(say("  citations turned into references: {local} within the policy, {other} "
                       "to other policies", lang, local=r.counts["citations_local"],
                       other=r.counts["citations_other"]))
        meta = [say("effective {date}, status {status}, owner {owner}", lang, date=r.effective,
                    status=r.status, owner=r.owner)]
        if r.doc_no:
            meta.append(say("doc_no {doc_no}", lang, doc_no=r.doc_no))
        if r.supersedes:
            meta.append(say("supersedes {ids}", lang, ids=", ".join(r.supersedes)))
        out.append(say("  front matter: {meta}", lang, meta=sep.join(meta)))
        if not r.numbers_match:
            out.append(say("  article numbers: NOT as in the source (see HB516)", lang))
        elif r.numbers:
            out.append(say("  article numbers: as in the source ({n}, {first} to {last})", lang,
                           n=len(r.numbers), first=article_name(r.numbers[0]),
                           last=article_name(r.numbers[-1])))
        if r.notes:
            out.append(say("  guesses, losses and checks ({n}):", lang, n=len(r.notes)))
            for d in r.notes:
                message, hint = localize(d, lang)
                line = say("    {where} {kind}: {severity}[{code}]: {message}", lang,
                           where=_where(r, d, lang), kind=say(kind(d), lang),
                           severity=d.severity.label, code=d.code, message=message)
                out.append(line + (say(" (hint: {hint})", lang, hint=hint) if hint else ""))
        out.append("")
    return "\n".join(out)


def json_report(results: list[FileResult], lang: str, dry_run: bool) -> str:
    files = []
    for r in results:
        notes = []
        for d in r.notes:
            message, hint = localize(d, lang)
            line = d.location.line if d.location else 0
            notes.append({"code": d.code, "severity": d.severity.label, "kind": kind(d),
                          "paragraph": line,
                          "excerpt": r.excerpts.get(line) if d.code.startswith("HB5") else None,
                          "message": message, "hint": hint})
        files.append({
            "source": r.source, "target": r.target or None, "id": r.id or None,
            "title": r.title or None,
            "state": "refused" if r.refused else ("written" if r.written else "dry-run"),
            "refused": say(r.refused[0], lang, **r.refused[1]) if r.refused else None,
            "overwrites": r.overwrites, "owner": r.owner or None, "status": r.status or None,
            "effective": r.effective or None, "doc_no": r.doc_no, "supersedes": r.supersedes,
            "counts": dict(sorted(r.counts.items())),
            "articles": {"source": [article_name(n) for n in r.numbers],
                         "built": [article_name(n) for n in r.built],
                         "match": r.numbers_match},
            "notes": notes,
        })
    return json.dumps({"dry_run": dry_run, "files": files}, ensure_ascii=False, indent=2) + "\n"
