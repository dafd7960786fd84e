"""Python (index side) and JavaScript (query side) agree on normalisation and query terms."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from fixtures import records
from handbook_gen.search import build_search_index
from handbook_gen.search.normalize import normalize
from handbook_gen.search.tokens import query_terms
from test_index import payload

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")

SPECIAL = ["ＱＭ－００１", "第10条", "第１０５條", "運營管理", "資訊安全", "人发〔2026〕3号", "ISO9001认证", "98%",
           "a、b", "针、质", "《合同管理办法》第十二条", "𠀀𠀁测试", "㈠㈡", "Ａｂｃ　ｄｅｆ", "第2026号", "qm-001-a号",
           "报销 第三条", "caiwu guanli", "İstanbul", "ﬁle", "…", "2026年1月1日起施行", "\u3000全角空格\u3000"]


def test_normalisation_and_query_terms_match():
    files = build_search_index(records())
    t2s = payload(files["search/t2s.js"])[2]
    rnd = random.Random(5)
    texts = [r.text for r in records()] + [r.policy_title for r in records()]
    strings = list(SPECIAL)
    for _ in range(400):
        t = rnd.choice(texts)
        a = rnd.randrange(len(t))
        strings.append(t[a:a + rnd.randint(1, 12)])
    p = subprocess.run(["node", str(HERE / "node_parity.js")], capture_output=True, text=True, check=True,
                       input=json.dumps({"t2s": t2s, "strings": strings}))
    identity = 0
    for s, line in zip(strings, p.stdout.splitlines()):
        js = json.loads(line)
        n = normalize(s)
        assert js["norm"] == n, s
        assert js["map"] == n and js["mapOk"], s  # normMap's text and offsets (fast or slow path)
        identity += js["identity"]
        req, opt, fb = query_terms(n)
        assert js["terms"]["req"] == req, s
        assert js["terms"]["opt"] == opt, s
        assert js["terms"]["fb"] == fb, s
    assert 0 < identity < len(strings)  # both paths of normMap taken
