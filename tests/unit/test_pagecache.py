"""build.pagecache on its own: keys follow the content, not how objects are shared (a
shared list or mapping is digested once, by content and type); an entry brings back the diagnostics its page's rendering gave; a file that changed is no
entry."""
from __future__ import annotations

import dataclasses

from handbook_gen.build.pagecache import PageCache
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.render.memo import Derived


def test_keys_follow_values_not_sharing_or_names(tmp_path):
    cache = PageCache(None, b"code")
    shared = "同一段文字" * 10
    one = {"a": shared, "b": shared}
    two = {"a": "同一段文字" * 10, "b": "".join(["同一段文字"] * 10)}
    assert cache.key("p.html", one) == cache.key("p.html", two)
    assert cache.key("p.html", one) != cache.key("q.html", one)
    assert cache.key("p.html", one) != cache.key("p.html", {"a": shared, "b": ""})
    assert PageCache(None, b"other code").key("p.html", one) != cache.key("p.html", one)
    assert cache.key("p.html", {"f": lambda: 1}) is None  # no data: never cached


def test_shared_containers_enter_keys_by_content(tmp_path):
    from collections import namedtuple

    from handbook_gen.markdown.placeholders import Link

    Other = namedtuple("Other", Link._fields)  # the same fields, another type
    cache = PageCache(None, b"code")
    links = [Link("《甲办法》第三条", "policies/a.html#a3"), Link("第五条", None, "")]
    page = {"body": Derived(str, links), "links": links, "meta": {"t": ("x", links)}}
    copied = {"body": Derived(str, list(links)), "links": [Link(*x) for x in links],
              "meta": {"t": ("x", list(links))}}
    assert cache.key("p.html", page) == cache.key("p.html", copied)  # digested once, by content
    moved = [Link("《甲办法》第三条", "policies/a.html#a4"), links[1]]
    assert cache.key("p.html", page) != cache.key("p.html", {**page, "links": moved})
    assert cache.key("p.html", {"links": links}) != cache.key(
        "p.html", {"links": [Other(*x) for x in links]})  # the rows' type counts
    assert cache.key("p.html", {"links": links}) != cache.key(
        "p.html", {"links": [tuple(x) for x in links]})


@dataclasses.dataclass(frozen=True)
class Policy:
    """A dataclass holding document parts: its fields enter keys as they would alone."""
    meta: object
    chapter_id: str
    html: str


def test_a_named_document_part_enters_keys_by_name(tmp_path):
    class Body:
        html = "<p>" + "正文" * 200 + "</p>"
        articles = refs = ()

    class Meta:
        pass

    cache = PageCache(None, b"code")
    body, meta = Body(), Meta()
    cache.name_document("policies/a.md", "1" * 40, meta, body)
    page = {"meta": meta, "body": Derived(str.upper, body.html)}
    text = "".join(["<p>", "正文" * 200, "</p>"])  # equal, another object
    assert text == body.html and text is not body.html
    same_text = {"meta": meta, "body": Derived(str.upper, text)}
    assert cache.key("p.html", page) != cache.key("p.html", same_text)  # by name, not text
    other = PageCache(None, b"code")
    other.name_document("policies/a.md", "2" * 40, meta, body)  # another blob
    assert other.key("p.html", page) != cache.key("p.html", page)

    held = {"policy": Policy(meta, "01-general", body.html)}
    assert cache.key("p.html", held) == cache.key("p.html", {
        "policy": Policy(meta, "01-general", body.html)})
    assert cache.key("p.html", held) != cache.key("p.html", {
        "policy": Policy(meta, "01-general", text)})  # the text by name, not content
    assert other.key("p.html", held) != cache.key("p.html", held)
    assert cache.key("p.html", held) != cache.key("p.html", {
        "policy": Policy(meta, "02-finance", body.html)})
    assert id(held["policy"]) in cache.shared  # digested once per build, then by identity
    again = cache.key("q.html", held)
    assert again == cache.key("q.html", {"policy": Policy(meta, "01-general", body.html)})


def test_an_entry_brings_back_its_diagnostics_and_not_a_changed_file(tmp_path):
    cache = PageCache(tmp_path / "cache", b"code")
    assert cache.enabled
    staged = tmp_path / "page.html"
    staged.write_bytes(b"<main>v1</main>")
    diags = Diagnostics()
    diags.add("HB400", "template error in {template}: {problem}", Location("templates/x.html", 3, 1),
              template="x.html", problem="boom")
    entry = cache.put("k1", staged, staged.read_bytes(), diags.items)
    cache.save([entry])
    again = PageCache(tmp_path / "cache", b"code")
    path, replayed, _ = again.get("k1")
    assert path.read_bytes() == b"<main>v1</main>"
    assert [(d.code, d.location) for d in replayed] == [("HB400", Location("templates/x.html", 3, 1))]
    assert again.get("k2") is None
    staged.unlink()  # the published copy goes; the entry is still the cache's file
    with open(path, "r+b") as fh:
        fh.write(b"<main>v2")  # same size, same inode, other bytes
    assert PageCache(tmp_path / "cache", b"code").get("k1") is None
