"""The model: the assembled Handbook's mappings are read-only, its documents stay picklable."""
from __future__ import annotations

import datetime as dt
import pickle

import pytest

from handbook_gen.core.diagnostics import Location
from handbook_gen.core.model import (Chapter, Department, Handbook, ParsedBody, Policy, PolicyMeta,
                                     SiteInfo)


def pol(pid: str) -> Policy:
    meta = PolicyMeta(pid, "制度", "FIN", "active", dt.date(2025, 1, 1), "1.0",
                      key_locations={"id": Location("a.md", 2, 5)})
    return Policy(meta, "c", f"policies/c/{pid.lower()}.md", ParsedBody("<p>x</p>", (), (), (), ""))


def handbook(policies: dict, departments: dict) -> Handbook:
    chapter = Chapter("c", "01-c", "章", 1, "policies/c/_chapter.md",
                      ParsedBody("", (), (), (), ""), tuple(policies))
    return Handbook(SiteInfo("t", "zh-CN", None), (chapter,), policies, departments, "x")


def test_handbook_mappings_are_read_only_copies():
    policies = {"QM-001": pol("QM-001")}
    departments = {"FIN": Department("FIN", "财务部", None, (), Location("x"))}
    hb = handbook(policies, departments)
    with pytest.raises(TypeError):
        hb.policies["QM-002"] = pol("QM-002")
    with pytest.raises(TypeError):
        del hb.departments["FIN"]
    policies["QM-002"] = pol("QM-002")  # the caller's dict is not the handbook's
    departments.clear()
    assert list(hb.policies) == ["QM-001"] and list(hb.departments) == ["FIN"]
    assert hb == handbook({"QM-001": pol("QM-001")}, {"FIN": hb.departments["FIN"]})


def test_documents_stay_picklable():
    """The parse cache pickles policies: nothing in them may be a mapping proxy."""
    p = pol("QM-001")
    assert pickle.loads(pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL)) == p


def test_a_parsed_body_loads_back_with_its_records_as_they_were():
    """ParsedBody pickles its headings, articles and references as plain rows: they load
    back as the same NamedTuples, inserted article numbers included."""
    from handbook_gen.core.model import Article, Heading, Ref
    from handbook_gen.core.numerals import InsertedNumber

    body = ParsedBody("<p>x</p>", (Heading(2, "第一章 总则", "第一章-总则", "chapter", 5),),
                      (Article(1, "scope", "scope", 2, "第一章 总则", 6, "本制度适用于全体员工。"),
                       Article(InsertedNumber(1, 1), None, "a1_1", 1, "", 8)),
                      (Ref("policy", "QM-002", "5", 2, None, Location("a.md", 6, 3), 1),),
                      "引言", flows=("f",))
    loaded = pickle.loads(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
    assert loaded == body
    assert [type(x) for x in (*loaded.headings, *loaded.articles, *loaded.refs)] == \
        [Heading, Article, Article, Ref]
    assert type(loaded.articles[1].number) is InsertedNumber and loaded.flows == ("f",)
