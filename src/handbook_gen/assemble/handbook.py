"""Assemble parsed documents into the Handbook: chapters in order, policies keyed by
id, the department registry; duplicate ids, chapter folders that cannot name a page,
URL collisions and misplaced files are reported here. A chapter that is not assembled
is reported with the number of policies it takes with it.
"""
from __future__ import annotations

import re

from handbook_gen.core.ids import fold, problem as id_problem, shown
from handbook_gen.source.config import HandbookConfig
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import Chapter, Handbook, ParsedBody, Policy
from handbook_gen.markdown.document import CHAPTER_FILE, Document, chapter_folder_info

_EMPTY = ParsedBody("", (), (), (), "")


def assemble(docs: list[Document], config: HandbookConfig, config_path: str,
             root_name: str, diags: Diagnostics) -> Handbook:
    """Build the model from documents (sorted by path); report structural problems."""
    chapters = []
    policies = _Policies()
    chapter_urls: dict[str, str] = {}
    for folder, (chapter_doc, docs_in) in _by_folder(docs, root_name, diags).items():
        slug, order = chapter_folder_info(folder)
        where = (Location(chapter_doc.path, 1, 1) if chapter_doc
                 else Location(f"{root_name}/{folder}"))
        count = len(docs_in)
        lost = ("the chapter is not published" if not count else
                "the chapter and the {count} policies in it are not published")
        problem = id_problem(slug)
        if problem:
            diags.add("HB112", "chapter folder '{folder}' cannot name a page: '{slug}' "
                      "{problem!t}; " + lost, where, hint="rename the folder, e.g. 04-quality",
                      folder=shown(folder), slug=shown(slug), problem=problem, count=count)
            continue
        if fold(slug) in chapter_urls:
            diags.add("HB122", "chapter folders '{first}' and '{folder}' map to the same "
                      "page URL; " + lost, where,
                      hint="chapter folder names must differ in more than letter case "
                      "and the NN- prefix", first=chapter_urls[fold(slug)], folder=folder,
                      count=count)
            continue
        chapter_urls[fold(slug)] = folder
        if chapter_doc is None:
            diags.add("HB123", "chapter folder '{folder}' has no {file}",
                      Location(f"{root_name}/{folder}"),
                      hint="add {root}/{folder}/{file} with a 'title'", folder=folder,
                      file=CHAPTER_FILE, root=root_name)
            title, body, path = slug, _EMPTY, f"{root_name}/{folder}/{CHAPTER_FILE}"
        else:
            meta = chapter_doc.meta
            title = meta.title if meta else slug
            order = meta.order if meta else order
            body, path = chapter_doc.body or _EMPTY, chapter_doc.path
        ids = policies.add_chapter(slug, docs_in, diags)
        chapters.append(Chapter(slug, folder, title, order, path, body, ids))

    chapters.sort(key=lambda c: (c.order, c.folder))
    ordered = {pid: policies.by_id[pid] for ch in chapters for pid in ch.policy_ids}
    return Handbook(config.site, tuple(chapters), ordered, config.departments, config_path)


def _by_folder(docs: list[Document], root_name: str,
               diags: Diagnostics) -> dict[str, tuple[Document | None, list[Document]]]:
    """Chapter folder -> (its _chapter.md document, its policy documents); a policy
    outside a chapter folder is reported (HB124)."""
    folders: dict[str, tuple[Document | None, list[Document]]] = {}
    for doc in docs:
        parts = doc.path.split("/")
        if len(parts) != 3:
            diags.add("HB124", "policies must be in a chapter folder: "
                      "{root}/<NN-chapter>/<name>.md", Location(doc.path),
                      hint="move the file into a chapter folder, e.g. {root}/04-quality/",
                      root=root_name)
            continue
        chapter, policies = folders.get(parts[1], (None, []))
        if doc.kind == "chapter":
            chapter = doc
        else:
            policies.append(doc)
        folders[parts[1]] = (chapter, policies)
    return folders


class _Policies:
    """The policies assembled so far, with the first path of each id and the case fold
    of each id, for the duplicate (HB120) and URL collision (HB122) checks."""

    def __init__(self):
        self.by_id: dict[str, Policy] = {}
        self.first_seen: dict[str, str] = {}
        self.folded: dict[str, str] = {}

    def add_chapter(self, slug: str, docs: list[Document], diags: Diagnostics) -> tuple:
        """Add a chapter's policies, listed by their number (QM-002 before QM-010);
        return the ids added."""
        ids = []
        for doc in sorted(docs, key=_number_order):
            if doc.meta is None or doc.body is None:
                continue
            pid = doc.meta.id
            if pid in self.by_id:
                diags.add("HB120", "duplicate policy id '{id}' (also in {other})",
                          doc.meta.key_locations.get("id"), hint="ids must be unique",
                          id=pid, other=self.first_seen[pid])
                continue
            if fold(pid) in self.folded:
                diags.add("HB122", "policy id '{id}' and '{other}' map to the same page URL",
                          doc.meta.key_locations.get("id"),
                          hint="ids must differ in more than letter case", id=pid,
                          other=self.folded[fold(pid)])
                continue
            self.first_seen[pid], self.folded[fold(pid)] = doc.path, pid
            self.by_id[pid] = Policy(doc.meta, slug, doc.path, doc.body)
            ids.append(pid)
        return tuple(ids)


def _number_order(doc: Document) -> tuple:
    pid = doc.meta.id if doc.meta else ""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pid)), doc.path
