"""Prose citations at parser level: the articles listed right after a citation
(、和及或至 第N条) cite the same document, with their own 款; anything between the
citation and the next 第N条 ends the list, so a later 第N条 is left as text."""
from __future__ import annotations

import pytest

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.markdown.parser import parse_body
from handbook_gen.source.reader import SourceFile


def refs(text: str) -> list[tuple]:
    body = f"§ {text}\n"
    diags = Diagnostics()
    parsed = parse_body(SourceFile("policies/01-x/a.md", body), body, 0, True, diags)
    assert not diags.items
    return [(r.kind, r.target, r.anchor, r.paragraph, r.raw) for r in parsed.refs]


def test_a_list_of_articles_cites_one_document_each_with_its_paragraph():
    assert refs("依照本办法第五条第二款和第七条第三款、第八条至第十条，《X办法》第二条及第三条。") == [
        ("local", "", "5", 2, "本办法第五条第二款"), ("local", "", "7", 3, "第七条第三款"),
        ("local", "", "8", None, "第八条"), ("local", "", "10", None, "第十条"),
        ("title", "X办法", "2", None, "《X办法》第二条"), ("title", "X办法", "3", None, "第三条")]


@pytest.mark.parametrize("text", ["本办法第五条的规定和第七条。", "本办法第五条，和第七条。",
                                  "本办法第五条、 第七条。", "本办法第五条、**第七条**。",
                                  "本办法第五条。和第七条。"])
def test_a_continuation_must_follow_its_citation_directly(text):
    assert [raw for *_, raw in refs(text)] == ["本办法第五条"]


@pytest.mark.parametrize("text, codes", [
    ("见 <javascript:alert(1)> 说明。", ["HB132"]),  # an autolink: no "[" in the text
    ("见 ![图](vbscript:x) 说明。", ["HB132"]),
    ("见 [[ 说明。", ["HB204"]),
    ("见 [链接](other.txt) 说明。", ["HB134"]),
])
def test_links_and_references_are_checked_in_text_without_any_citation(text, codes):
    """An inline with no 第 still has its links, images and [[…]] checked (the rule looks
    at an inline only when it may hold one of them or a prose citation)."""
    body = f"{text}\n"
    diags = Diagnostics()
    parsed = parse_body(SourceFile("policies/01-x/a.md", body), body, 0, True, diags)
    assert [d.code for d in diags.items] == codes
    assert "href" not in parsed.html and "src=" not in parsed.html  # the target is dropped


def test_a_citation_whose_first_character_is_written_as_an_entity_is_found():
    """An inline is looked at for prose citations when its source has a 第 or an entity,
    which can write one: 本办法&#31532;五条 is 本办法第五条."""
    assert refs("依照本办法&#31532;五条办理。") == [("local", "", "5", None, "本办法第五条")]
