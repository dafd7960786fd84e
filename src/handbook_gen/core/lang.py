"""A page's language tag: checking a front-matter ``lang:`` value (BCP 47), and telling
Traditional from Simplified Chinese text, so that a policy written in Traditional
characters is marked ``zh-Hant`` (screen readers then read it with the right voice, and
browsers pick Traditional glyphs) even when its front matter does not say so.

The front matter wins; detection is a count of frequent characters that exist in only
one of the two scripts, over the title and the start of the body.
"""
from __future__ import annotations

import re

from handbook_gen.core.model import Policy

# language[-script][-region][-variant…]: enough of BCP 47 for a handbook (zh-Hant, zh-HK, en)
_TAG = re.compile(r"([A-Za-z]{2,3})(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?((?:-[A-Za-z0-9]{5,8})*)")
_TRADITIONAL_REGIONS = {"TW", "HK", "MO"}
# frequent characters written differently in the two scripts: Traditional, Simplified
_PAIRS = ("這这 個个 們们 來来 時时 會会 為为 與与 說说 對对 發发 經经 過过 還还 點点 開开 關关 "
          "問问 長长 現现 實实 機机 學学 應应 當当 從从 頭头 將将 給给 動动 種种 國国 處处 務务 "
          "業业 條条 規规 則则 審审 報报 價价 辦办 負负 責责 協协 調调 職职 權权 統统 計计 資资 "
          "產产 總总 監监 導导 執执 組组 織织 際际 聯联 須须 許许 該该 證证 據据 議议 員员 數数 "
          "構构 範范 圍围 單单 級级 門门 費费 銷销 錯错 買买 賣卖 貨货 購购 網网 檔档 項项 設设 "
          "備备 維维 護护 驗验 號号 簽签 確确 認认 記记 錄录 歸归 檢检 訂订 約约 續续 變变 體体 "
          "質质 獎奖 違违 紀纪 勞劳 請请 銀银 財财 預预 稅税 險险 風风 類类 隨随 視视 讀读 寫写 "
          "傳传 輸输 區区 無无 書书 達达 選选 見见 親亲 論论 專专 滿满 決决 況况 減减").split()
_TRADITIONAL = re.compile("[" + "".join(p[0] for p in _PAIRS) + "]")
_SIMPLIFIED = re.compile("[" + "".join(p[1] for p in _PAIRS) + "]")
SAMPLE = 4000
"""Characters of a text looked at (a policy's script is clear long before its end)."""


def normalize(value: str) -> str | None:
    """`value` as a language tag in its usual case (``zh-hant-hk`` → ``zh-Hant-HK``), or
    None when it is not one."""
    m = _TAG.fullmatch(value.strip())
    if m is None:
        return None
    lang, script, region, variants = m.groups()
    return (lang.lower() + (script.title() if script else "") +
            (region.upper() if region else "") + variants.lower())


def is_traditional(tag: str) -> bool | None:
    """Whether Chinese tag `tag` means Traditional characters (zh-Hant, zh-TW, zh-HK…);
    None for a language other than Chinese."""
    parts = tag.split("-")
    if parts[0].lower() != "zh":
        return None
    rest = [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    if "Hant" in rest or "Hans" in rest:
        return "Hant" in rest
    return any(p in _TRADITIONAL_REGIONS for p in rest)


def detect_traditional(text: str) -> bool | None:
    """True when `text` is written in Traditional Chinese, False in Simplified, None when
    it does not tell (no or too few of the distinguishing characters)."""
    sample = text[:SAMPLE]
    trad, simp = len(_TRADITIONAL.findall(sample)), len(_SIMPLIFIED.findall(sample))
    if trad + simp < 5:
        return None
    return trad > simp


def page_lang(declared: str | None, text: str, site_language: str) -> str:
    """The language of a page: `declared` when given; else the site's language, or zh-Hant /
    zh-Hans when `text` is Chinese written in the other script than the site's."""
    if declared:
        return declared
    site_traditional = is_traditional(site_language)
    if site_traditional is None or not _in_other_script(text[:SAMPLE], site_traditional):
        return site_language
    return "zh-Hans" if site_traditional else "zh-Hant"


def _in_other_script(sample: str, traditional_site: bool) -> bool:
    """Whether detect_traditional(sample) finds the other script than the site's. It needs
    at least 3 characters of that script (more than the site's, and 5 with them), so the
    site's own are counted only then: one scan of the sample instead of two for most."""
    other = (_SIMPLIFIED if traditional_site else _TRADITIONAL).findall(sample)
    return len(other) >= 3 and detect_traditional(sample) is (not traditional_site)


def policy_lang(p: Policy, site_language: str) -> str:
    """The language of policy `p`'s text (its title and body) on a site in `site_language`."""
    return page_lang(p.meta.lang, p.title + p.body.html[:SAMPLE], site_language)
