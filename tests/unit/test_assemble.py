"""assemble() on parsed documents: grouping into chapters, chapter and policy order,
duplicate and colliding ids, chapter folders that cannot name a page, misplaced files."""
from __future__ import annotations

from handbook_gen.assemble.handbook import assemble
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import SiteInfo
from handbook_gen.markdown.document import parse_document
from handbook_gen.source.config import HandbookConfig


def policy(pid: str, title: str = "制度") -> str:
    return (f"---\nid: {pid}\ntitle: {title}\nowner: GMO\nstatus: active\n"
            f"effective: 2025-01-01\nversion: \"1\"\n---\n§ 正文。\n")


def chapter(title: str, order: int | None = None) -> str:
    return f"---\ntitle: {title}\n" + (f"order: {order}\n" if order is not None else "") + "---\n"


def run(files: dict[str, str]):
    docs = [parse_document(path, text.encode()) for path, text in sorted(files.items())]
    diags = Diagnostics()
    hb = assemble(docs, HandbookConfig(SiteInfo("t", "zh-CN", None)), "policies/_handbook.yaml",
                  "policies", diags)
    return hb, [(d.code, str(d.location), d.message) for d in diags.items]


def test_policies_are_grouped_by_folder_and_chapters_ordered():
    hb, found = run({
        "policies/01-general/_chapter.md": chapter("总则"),
        "policies/01-general/a.md": policy("GN-001"),
        "policies/02-quality/_chapter.md": chapter("质量", order=0),
        "policies/02-quality/q.md": policy("QM-001"),
        "policies/03-finance/_chapter.md": chapter("财务", order=1),
        "policies/03-finance/f.md": policy("FN-001"),
    })
    assert not found
    # order: 0 from the front matter beats the folder prefix; equal orders go by folder name
    assert [(c.id, c.title, c.order) for c in hb.chapters] == [
        ("quality", "质量", 0), ("general", "总则", 1), ("finance", "财务", 1)]
    assert [c.policy_ids for c in hb.chapters] == [("QM-001",), ("GN-001",), ("FN-001",)]
    assert list(hb.policies) == ["QM-001", "GN-001", "FN-001"]  # in chapter order
    assert hb.policies["FN-001"].chapter_id == "finance"


def test_policies_in_a_chapter_are_ordered_by_number_not_by_file_name():
    hb, _ = run({"policies/01-q/_chapter.md": chapter("质量"),
                 "policies/01-q/a.md": policy("QM-10"), "policies/01-q/b.md": policy("QM-2"),
                 "policies/01-q/c.md": policy("QM-002-A"), "policies/01-q/d.md": policy("AB-9")})
    assert hb.chapters[0].policy_ids == ("AB-9", "QM-2", "QM-002-A", "QM-10")


def test_files_outside_a_chapter_folder_are_reported():
    hb, found = run({"policies/a.md": policy("GN-001"),
                     "policies/01-q/sub/b.md": policy("GN-002")})
    assert hb.policies == {} and hb.chapters == ()
    message = "policies must be in a chapter folder: policies/<NN-chapter>/<name>.md"
    assert found == [("HB124", "policies/01-q/sub/b.md", message),
                     ("HB124", "policies/a.md", message)]


def test_a_folder_without_chapter_file_is_still_a_chapter():
    hb, found = run({"policies/04-quality/q.md": policy("QM-001")})
    assert [(c.id, c.title, c.order, c.path, c.policy_ids) for c in hb.chapters] == [
        ("quality", "quality", 4, "policies/04-quality/_chapter.md", ("QM-001",))]
    assert found == [("HB123", "policies/04-quality",
                      "chapter folder '04-quality' has no _chapter.md")]


def test_a_chapter_file_that_failed_to_parse_keeps_the_folder_defaults():
    hb, _ = run({"policies/04-quality/_chapter.md": "---\ntitle: 质量\n",
                 "policies/04-quality/q.md": policy("QM-001")})
    assert [(c.title, c.order, c.policy_ids) for c in hb.chapters] == [
        ("quality", 4, ("QM-001",))]


def test_a_folder_that_cannot_name_a_page_is_dropped_with_its_policies():
    hb, found = run({"policies/02-a b/_chapter.md": chapter("乙"),
                     "policies/02-a b/x.md": policy("GN-001"),
                     "policies/02-a b/y.md": policy("GN-002"),
                     "policies/03-con/_chapter.md": chapter("丙")})
    assert hb.chapters == () and hb.policies == {}
    assert [(c, w) for c, w, _ in found] == [("HB112", "policies/02-a b/_chapter.md:1:1"),
                                             ("HB112", "policies/03-con/_chapter.md:1:1")]
    assert found[0][2].startswith("chapter folder '02-a b' cannot name a page: 'a b' ")
    assert found[0][2].endswith("; the chapter and the 2 policies in it are not published")
    assert found[1][2].endswith("; the chapter is not published")


def test_folders_that_differ_in_case_or_prefix_collide():
    hb, found = run({"policies/01-quality/_chapter.md": chapter("质量"),
                     "policies/02-Quality/_chapter.md": chapter("质量二"),
                     "policies/02-Quality/q.md": policy("QM-001")})
    assert [c.folder for c in hb.chapters] == ["01-quality"]
    assert found == [("HB122", "policies/02-Quality/_chapter.md:1:1",
                      "chapter folders '01-quality' and '02-Quality' map to the same page URL; "
                      "the chapter and the 1 policies in it are not published")]


def test_duplicate_ids_keep_the_first_in_path_order_and_point_at_the_second_id():
    hb, found = run({"policies/01-a/_chapter.md": chapter("甲"),
                     "policies/01-a/x.md": policy("GN-001", "甲制度"),
                     "policies/02-b/_chapter.md": chapter("乙"),
                     "policies/02-b/y.md": policy("GN-001", "乙制度"),
                     "policies/02-b/z.md": policy("gn-001", "丙制度")})
    assert hb.policies["GN-001"].title == "甲制度"
    assert [c.policy_ids for c in hb.chapters] == [("GN-001",), ()]
    assert found == [
        ("HB120", "policies/02-b/y.md:2:1", "duplicate policy id 'GN-001' (also in "
         "policies/01-a/x.md)"),
        ("HB122", "policies/02-b/z.md:2:1", "policy id 'gn-001' and 'GN-001' map to the same "
         "page URL")]


def test_documents_that_failed_to_parse_are_left_out_silently():
    hb, found = run({"policies/01-a/_chapter.md": chapter("甲"),
                     "policies/01-a/x.md": "---\nid: GN-001\n---\n",
                     "policies/01-a/y.md": policy("GN-002")})
    assert hb.chapters[0].policy_ids == ("GN-002",)
    assert found == []  # the parse reported x.md already
    assert hb.config_path == "policies/_handbook.yaml"
    assert hb.policies["GN-002"].meta.key_locations["id"] == Location("policies/01-a/y.md", 2, 1)
