"""The forgiving-matching lexicon as built (search/lexicon.py): a bigram is filed under the
phrase pinyin of a heteronym pypinyin knows as a word (银行 yin hang, not yin xing), else under
each character's usual reading, with its count."""
from __future__ import annotations

import json

from handbook_gen.search.lexicon import lexicon_files, shard_of


def _entries(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    def data(path: str):
        text = files[path].decode("utf-8")
        return json.loads(text[text.index(",", text.index(",") + 1) + 1:text.rindex(")")])

    shards = data("search/f/0.js")["shards"]
    out: dict[str, dict[str, str]] = {}
    for k in range(shards):
        for first, seconds in data(f"search/f/{k + 1}.js").items():
            assert shard_of(first, shards) == k
            out[first] = seconds
    return out


def test_heteronyms_take_the_phrase_reading():
    entries = _entries(lexicon_files(["银行账户在银行开立", "行为规范", "重庆的银行"]))
    assert entries["yin"]["hang"] == "银行3"
    assert "xing" not in entries["yin"]  # 行's usual reading is not used inside the word 银行
    assert entries["xing"]["wei"] == "行为1"
    assert entries["chong"]["qing"] == "重庆1"
