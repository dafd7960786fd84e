"""A policy page's table of contents, written in Python (render.pages._toc), is exactly
what the template loop it replaced wrote, escaping included (as Jinja's autoescape)."""
from __future__ import annotations

import jinja2

from handbook_gen.core.model import Article, Heading, ParsedBody
from handbook_gen.core.numerals import article_name, article_number
from handbook_gen.render.pages import _short, _toc

# the loop policy.html had, with what it was given per heading
ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
LOOP = ENV.from_string("""  <ol>
  {% for h in toc %}
    <li class="toc-level-{{ h.level }}">{% if h.anchor %}<a href="#{{ h.anchor }}">{{ h.text }}</a>{% endif %}
    {% if h.articles %}
      <ol class="toc-articles">
      {% for a in h.articles %}<li><a href="#{{ a.anchor }}">{{ a.text }}</a> <span class="toc-summary">{{ a.summary }}</span></li>
      {% endfor %}
      </ol>
    {% endif %}
    </li>
  {% endfor %}
  </ol>
""")
NOW = ENV.from_string("""  <ol>
{{ toc }}
  </ol>
""")  # what policy.html has now


def _reference(body: ParsedBody) -> str:
    entries, current = [], None
    items = [(h.line, 0, h) for h in body.headings if h.level <= 3 or h.kind != "plain"]
    for _line, kind, x in sorted(items + [(a.line, 1, a) for a in body.articles],
                                 key=lambda t: (t[0], t[1])):
        if kind == 0:
            current = {"text": x.text, "anchor": x.anchor, "level": x.level, "articles": []}
            entries.append(current)
            continue
        if current is None:
            current = {"text": "", "anchor": "", "level": 2, "articles": []}
            entries.append(current)
        current["articles"].append({"text": article_name(x.number), "anchor": x.anchor,
                                    "summary": _short(x.text)})
    return LOOP.render(toc=entries)


def _article(n, line, text, anchor=None):
    return Article(n, None, anchor or f"a{n}", 1, "", line, text)


def test_the_table_of_contents_is_what_the_template_loop_wrote():
    body = ParsedBody("", headings=(
        Heading(2, "第一章 总则 <a> & “引” 'x' \"y\"", "第一章-总则", "chapter", 10),
        Heading(2, "第二章 空章", "第二章-空章", "chapter", 20),
        Heading(4, "四级标题（不列入）", "h4", "plain", 25),
        Heading(5, "第一节 深一层的节", "第一节", "section", 26),
        Heading(3, "无锚点", "", "plain", 40),
    ), articles=(
        _article(1, 2, "标题之前的条文"),
        _article(2, 11, "一个很长很长很长的条文摘要，超过十八个字之后会被截断。"),
        _article(article_number(2, 1), 12, "插入的条文 <b>&amp;</b>", "scope'\"<"),
        _article(3, 27, "节中的条文"),
        _article(4, 41, ""),
    ), refs=(), intro_text="")
    got = NOW.render(toc=_toc(body, []))
    assert got == _reference(body)
    assert got.count("<li class=\"toc-level-") == 5 and "&#39;" in got and "&#34;" in got


def test_an_empty_body_has_no_items():
    assert _toc(ParsedBody("", (), (), (), ""), []) == ""
