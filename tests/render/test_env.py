"""The Jinja2 environment: ``x.name`` on a dict means what it means in Jinja2 (the
attribute first, so a dict's methods win over its keys), also through the quick path."""
from __future__ import annotations

import jinja2
import pytest

from handbook_gen.render.env import make_environment


def render(source: str, **context) -> str:
    return make_environment(None).from_string(source).render(**context)


def test_a_dict_key_is_found_and_a_method_name_stays_the_method():
    d = {"title": "标题", "items": "条目", "get": "取"}
    assert render("{{ d.title }}", d=d) == "标题"
    assert render("{{ d.items is callable }} {{ d.get('title') }}", d=d) == "True 标题"


def test_a_missing_key_is_an_error_and_other_objects_keep_attribute_lookup():
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nope'"):
        render("{{ d.nope }}", d={"title": "x"})

    class Row(dict):
        title = "属性"
    assert render("{{ r.title }}", r=Row(title="键")) == "属性"
    assert render("{{ r.other }}", r=Row(other="键")) == "键"
