"""Catalogue rows for inputs that were already handled before the hostile-input campaign
(regressions guarded here): encodings, YAML traps, Markdown safety, links."""
from __future__ import annotations

from catalogue import Case, policy

A = "policies/01-general/a.md"

ROWS: list[Case] = [
    Case("enc-gbk", {A: policy("GN-001", title="考勤制度").encode("gbk")},
         expect=(f"{A}:3:8: error[HB001]",)),
    Case("fm-duplicate-key", {A: "---\nid: GN-001\ntitle: 甲\ntitle: 乙\nowner: GMO\n"
                                 "status: active\neffective: 2025-01-01\nversion: \"1\"\n---\n正文\n"},
         expect=(f"{A}:4:1: error[HB106]",)),
]
