"""Chinese numerals (core/numerals.py), the one writer of 第N条 numbers, and the search
client's copy in templates/static/search.js checked against it under node."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from handbook_gen.core.numerals import from_chinese, parse_article_key, to_chinese
from handbook_gen.search.normalize import normalize

NODE_PARITY = Path(__file__).resolve().parents[1] / "search" / "node_parity.js"


@pytest.mark.parametrize("n, cn", [
    (0, "零"), (1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (100, "一百"),
    (105, "一百零五"), (110, "一百一十"), (999, "九百九十九"), (1000, "一千"), (1001, "一千零一"),
    (1010, "一千零一十"), (1100, "一千一百"), (2019, "二千零一十九"), (9999, "九千九百九十九"),
    (10000, "一万"), (10015, "一万零一十五"), (110000, "十一万"), (100010000, "一亿零一万"), (-1, "-1")])
def test_to_chinese(n, cn):
    assert to_chinese(n) == cn


def test_chinese_numerals_round_trip():
    for n in range(10000):
        assert from_chinese(to_chinese(n)) == n, n
    assert from_chinese("两百") == 200 and from_chinese("〇") == 0 and from_chinese("12") == 12
    assert from_chinese("") is None and from_chinese("十x") is None


def test_article_keys():
    assert parse_article_key("第五条") == parse_article_key("5") == 5
    assert parse_article_key("第一百零五条") == 105
    assert parse_article_key("scope") is None and parse_article_key("第五款") is None


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_search_client_writes_the_same_numbers():
    """search.js (`cnum`, reached through `norm`) turns 第<up to three digits> and
    第<4-12 digits>条 into the numeral core.numerals writes, and leaves other longer numbers
    alone, like the index side."""
    numbers = [str(n) for n in range(12001)] + ["0" + str(n) for n in range(100)] + \
        ["00" + str(n) for n in range(10)] + ["0000", "0012", "99999", "123456", "100010000",
                                              "123456789012", "1234567890123"]
    strings = [f"第{d}条" for d in numbers] + ["依照第3条第2款", "第10条和第105条", "2026年10条",
                                               "第1165条之一", "第2026号", "第20260101号"]
    p = subprocess.run(["node", str(NODE_PARITY)], capture_output=True, text=True, check=True,
                       input=json.dumps({"t2s": "", "strings": strings}))
    lines = p.stdout.splitlines()
    assert len(lines) == len(strings)
    for d, line in zip(numbers, lines):
        want = f"第{to_chinese(int(d))}条" if len(d) <= 12 else f"第{d}条"
        assert json.loads(line)["norm"] == want == normalize(f"第{d}条"), d
    tail = [json.loads(line)["norm"] for line in lines[len(numbers):]]
    assert tail == ["依照第三条第二款", "第十条和第一百零五条", "2026年10条", "第一千一百六十五条之一",
                    "第2026号", "第20260101号"]
    assert tail == [normalize(s) for s in strings[len(numbers):]]
