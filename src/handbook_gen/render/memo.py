"""Results of pure functions kept from one rebuild to the next, and context values
computed only when a page is rendered.

``memo(fn, slot, *args)`` returns ``fn(*args)``; when the previous rebuild called `fn` in
the same `slot` with equal arguments, it returns that call's result instead, the very
object. Page contexts built from memoised parts therefore compare mostly by identity,
which is what makes comparing every page's context on every rebuild cheap. `fn` sees
only `args`, so a result cannot depend on an input the comparison did not see.

Only the calls of the current rebuild are kept for the next one, so nothing of older
sites stays alive.
"""
from __future__ import annotations

from typing import Callable

_MISSING = object()


class Memo:
    def __init__(self, previous: Memo | None = None):
        self.previous = previous.current if previous is not None else {}
        self.current: dict = {}

    def __call__(self, fn: Callable, slot, *args):
        key = (fn, slot)
        hit = self.current.get(key, _MISSING)
        if hit is _MISSING:
            hit = self.previous.get(key, _MISSING)
        if hit is not _MISSING and hit[0] == args:
            value = hit[1]
        else:
            value = fn(*args)
        self.current[key] = (args, value)
        return value

    def stable(self, slot, value):
        """`value`, or the previous rebuild's equal value in `slot` (that very object)."""
        return self(_same, slot, value)


def _same(value):
    return value


class Derived:
    """A context value made by the pure function `fn` from `args`, computed only when the
    page is rendered (``value``). Two are equal when made by the same function from equal
    arguments, so comparing a page's context with the last one compares the inputs of
    its expensive parts (a policy's filled body, its table of contents), which are
    mostly the very same objects, and the live site keeps the inputs, not the results.
    An argument may itself be Derived."""

    __slots__ = ("fn", "args")
    __hash__ = None

    def __init__(self, fn: Callable, *args):
        self.fn, self.args = fn, args

    def __eq__(self, other) -> bool:
        return isinstance(other, Derived) and self.fn is other.fn and self.args == other.args

    def value(self):
        return self.fn(*(a.value() if isinstance(a, Derived) else a for a in self.args))


def computed(context: dict) -> dict:
    """`context` with its Derived values computed: what a template is given."""
    return {key: value.value() if isinstance(value, Derived) else value
            for key, value in context.items()}
