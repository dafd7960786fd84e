"""Derived context values: equal by function and inputs, computed only for rendering."""
from handbook_gen.render.memo import Derived, computed

calls = []


def shout(text: str, times: int) -> str:
    calls.append(text)
    return text.upper() * times


def test_equal_by_function_and_inputs_without_computing():
    calls.clear()
    text = "正文"
    assert Derived(shout, text, 2) == Derived(shout, text, 2)
    assert Derived(shout, text, 2) != Derived(shout, text, 3)
    assert Derived(shout, text, 2) != Derived(lambda t, n: t, text, 2)
    assert Derived(shout, text, 2) != shout(text, 2)
    assert calls == [text]  # only the direct call above ran


def test_computed_fills_in_values_also_nested():
    inner = Derived(shout, "ab", 1)
    context = {"body": Derived(shout, inner, 2), "title": "T"}
    assert computed(context) == {"body": "ABAB", "title": "T"}
    assert isinstance(context["body"], Derived)  # the kept context stays as it was
