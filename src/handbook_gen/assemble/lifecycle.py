"""Policy lifecycle: the build date and each policy's state on it.

Owns: the build date (``--today``, else ``SOURCE_DATE_EPOCH``, else the local date), the
computed state of every policy (a model.Status: 现行 / 草案 / 已废止 / 尚未生效 / 复审逾期 /
已失效, the last after the ``expires:`` date of a time-limited policy)
with who replaces whom both ways (read from Handbook.supersession), upcoming reviews, and
the date-aware lifecycle checks (HB213, HB302, HB303, HB304). The declared ``status`` stays what
the author wrote; the state is derived from it and the build date, so two builds with the
same inputs and date are identical.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.core.model import Handbook, Policy, Status

UPCOMING_DAYS = 60
"""A review due within this many days is "upcoming" (status page, ``handbook report``)."""


def epoch_date(value: str) -> _dt.date:
    """The UTC date of a SOURCE_DATE_EPOCH value; ValueError when it is not one."""
    try:
        seconds = int(value.strip())
        return _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds") from None


def build_date(explicit: _dt.date | None = None, environ=None) -> _dt.date:
    """The date statuses are computed against: ``--today``, else SOURCE_DATE_EPOCH (UTC),
    else today. An invalid SOURCE_DATE_EPOCH is ignored here (the CLI rejects it)."""
    if explicit is not None:
        return explicit
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if value:
        try:
            return epoch_date(value)
        except ValueError:
            pass
    return _dt.date.today()


@dataclass(frozen=True)
class PolicyState:
    state: Status
    review_days: int | None
    """Days from the build date to ``review_by`` (negative: overdue); None when no
    review date or the policy is not in force or pending."""
    successors: tuple[str, ...]
    """Ids of the policies that supersede this one, in handbook order."""
    predecessors: tuple[str, ...]
    """Ids this policy supersedes (known ids only)."""

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def in_force(self) -> bool:
        """Active and effective: 现行 or 复审逾期."""
        return self.state in (Status.ACTIVE, Status.OVERDUE)


def policy_state(p: Policy, today: _dt.date, successors: tuple[str, ...] = (),
                 predecessors: tuple[str, ...] = ()) -> PolicyState:
    meta = p.meta
    review_days = None
    if meta.status == Status.DRAFT:
        state = Status.DRAFT
    elif meta.status == Status.RETIRED:
        state = Status.RETIRED
    else:
        if meta.review_by is not None:
            review_days = (meta.review_by - today).days
        if meta.effective > today:
            state = Status.PENDING
        elif meta.expires is not None and meta.expires < today:
            state = Status.EXPIRED
            review_days = None
        elif review_days is not None and review_days < 0:
            state = Status.OVERDUE
        else:
            state = Status.ACTIVE
    return PolicyState(state, review_days, successors, predecessors)


class Lifecycle:
    """Every policy's state on one build date, with its successors and predecessors
    (from the handbook's one supersession graph, Handbook.supersession)."""

    def __init__(self, hb: Handbook, today: _dt.date):
        self.hb, self.today = hb, today
        successors, predecessors = hb.supersession
        self.states: dict[str, PolicyState] = {
            p.id: policy_state(p, today, successors.get(p.id, ()), predecessors.get(p.id, ()))
            for p in hb.policies.values()}

    def state(self, pid: str) -> PolicyState:
        return self.states[pid]

    def overdue(self) -> list[Policy]:
        """In-force policies whose review date has passed, most overdue first."""
        found = [p for p in self.hb.policies.values() if self.states[p.id].state == Status.OVERDUE]
        return sorted(found, key=lambda p: (p.meta.review_by, p.id))

    def upcoming(self, days: int = UPCOMING_DAYS) -> list[Policy]:
        """In-force or pending policies due for review within `days` (today included)."""
        found = [p for p in self.hb.policies.values()
                 if self.states[p.id].state in (Status.ACTIVE, Status.PENDING)
                 and self.states[p.id].review_days is not None
                 and 0 <= self.states[p.id].review_days <= days]
        return sorted(found, key=lambda p: (p.meta.review_by, p.id))

    def pending(self) -> list[Policy]:
        """Adopted policies whose effective date is still ahead, soonest first."""
        found = [p for p in self.hb.policies.values() if self.states[p.id].state == Status.PENDING]
        return sorted(found, key=lambda p: (p.meta.effective, p.id))


def check_lifecycle(hb: Handbook, life: Lifecycle, diags: Diagnostics) -> None:
    """Date and supersession problems that the front-matter schema cannot see.
    (Unknown ids and cycles are HB211/HB212 in checks.py.)"""
    for p in hb.policies.values():
        meta = p.meta
        if meta.status == Status.ACTIVE and meta.effective <= life.today:
            # a successor already in force while what it replaces is still marked active;
            # a successor that takes effect later is the normal way to schedule a change
            for target, loc in meta.supersedes:
                old = hb.policies.get(target)
                if target != p.id and old is not None and old.meta.status == Status.ACTIVE:
                    diags.add("HB213", "{old} is superseded by {new} but is still active",
                              loc, hint="set status: retired in {path}", old=target,
                              new=p.id, path=old.path)
        if meta.review_by is not None and meta.review_by <= meta.effective:
            diags.add("HB302", "review date {review_by} is not after the effective date "
                      "{effective}", meta.key_locations.get("review_by"),
                      hint="review_by is when the policy is next due for review, e.g. "
                      "two years after it takes effect", review_by=meta.review_by.isoformat(),
                      effective=meta.effective.isoformat())
        if meta.expires is not None and meta.expires < meta.effective:
            diags.add("HB304", "expiry date {expires} is before the effective date "
                      "{effective}", meta.key_locations.get("expires"),
                      hint="expires is the last day a time-limited policy is in force",
                      expires=meta.expires.isoformat(), effective=meta.effective.isoformat())
        if meta.status == Status.RETIRED:
            successors = life.state(p.id).successors
            if successors and all(hb.policies[s].meta.status == Status.DRAFT for s in successors):
                names = "、".join(successors)
                diags.add("HB303", "{id} is retired but its successor {names} is still a "
                          "draft: nothing in force replaces it", meta.key_locations.get("status"),
                          hint="adopt the successor (status: active) or keep this policy active "
                          "until then", id=p.id, names=names)
