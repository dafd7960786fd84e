"""A small handbook for the query-understanding tests (citations, names, aliases, states),
written into a temporary folder and built with the real CLI on a fixed build date.

States on BUILD_DATE: PEN-001 尚未生效 (effective later), RET-001 已废止, OVR-001 复审逾期
(review date passed), the others 现行. LAW-003 has 1,200 articles (第1165条); FIN-001 has an
inserted article 第九条之一 and the aliases 报销办法, 费用报销规定."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUILD_DATE = "2026-06-01"

CONFIG = """title: 查询理解测试汇编
departments:
  - id: FIN
    name: 财务部
  - id: LEG
    name: 法务部
"""


def _policy(pid: str, title: str, owner: str, articles: list[str], *, status: str = "active",
            effective: str = "2025-01-01", extra: str = "", intro: str = "") -> str:
    head = (f"---\nid: {pid}\ntitle: {title}\nowner: {owner}\nstatus: {status}\n"
            f"effective: {effective}\nversion: \"1\"\n{extra}---\n")
    body = (intro + "\n\n" if intro else "") + "\n\n".join(t if t.startswith("§") else f"§ {t}" for t in articles)
    return head + body + "\n"


def _files() -> dict[str, str]:
    reimb = [f"第{i}项报销事项按照财务部规定办理。" for i in range(1, 13)]
    reimb[1] = "本办法适用于公司全体员工的费用报销。"
    reimb[8] = "员工出差的住宿标准按照职级确定，一般员工每晚不超过五百元。"
    reimb.insert(9, "§+ 境外出差的住宿标准另行规定。")  # 第九条之一
    tax = [f"个人所得税的第{i}项计税规则。" for i in range(1, 21)]
    tax[11] = "居民个人的综合所得，以每一纳税年度的收入额减除费用六万元后的余额为应纳税所得额。"
    rules = [f"根据个人所得税法、个人所得税法和个人所得税法，制定第{i}项实施规定。" for i in range(1, 11)]
    civil = [f"民事活动应当遵循第{i}项原则。" for i in range(1, 1201)]
    civil[1164] = "行为人因过错侵害他人民事权益造成损害的，应当承担侵权责任。"
    return {
        "_handbook.yaml": CONFIG,
        "01-fin/_chapter.md": "---\ntitle: 财务管理\n---\n",
        "01-fin/reimburse.md": _policy("FIN-001", "费用报销管理办法", "FIN", reimb,
                                       extra="aliases: [报销办法, 费用报销规定]\n",
                                       intro="本办法由财务部制定。"),
        "01-fin/travel.md": _policy("FIN-002", "差旅费管理办法", "FIN", [
            "依照《费用报销管理办法》第九条制定本办法。", "出差审批按照费用报销管理办法第九条和第二条执行。"]),
        "01-fin/imprest.md": _policy("FIN-003", "华衡科技有限公司备用金管理办法", "FIN", [
            "备用金实行定额管理。", "备用金应当在年底前结清。"]),
        "02-law/_chapter.md": "---\ntitle: 法律法规\n---\n",
        "02-law/iit.md": _policy("LAW-001", "中华人民共和国个人所得税法", "LEG", tax),
        "02-law/iit-rules.md": _policy("LAW-002", "中华人民共和国个人所得税法实施条例", "LEG", rules),
        "02-law/civil.md": _policy("LAW-003", "中华人民共和国民法典", "LEG", civil),
        "02-law/social.md": _policy("LAW-004", "上海市社会保险条例", "LEG", [
            "本市职工应当参加社会保险。", "社会保险费由用人单位和职工共同缴纳。"]),
        "03-data/_chapter.md": "---\ntitle: 数据管理\n---\n",
        "03-data/pending.md": _policy("PEN-001", "数据安全管理办法", "LEG", [
            "为保障数据安全，制定本办法。", "数据安全工作由法务部归口管理。"], effective="2027-01-01"),
        "03-data/retired.md": _policy("RET-001", "数据安全管理暂行规定", "LEG", [
            "为保障数据安全，制定本规定。"], status="retired", effective="2020-01-01"),
        "03-data/overdue.md": _policy("OVR-001", "数据安全事件应急预案", "LEG", [
            "发生数据安全事件的，应当立即报告。"], effective="2024-01-01", extra="review_by: 2026-01-01\n"),
        "03-data/active.md": _policy("ACT-001", "数据安全培训规定", "LEG", [
            "每年组织一次数据安全培训。"]),
    }


def write_handbook(src: Path) -> Path:
    for rel, text in _files().items():
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    return src


def build(tmp: Path) -> Path:
    """Write the handbook under tmp/src and build it to tmp/site (raises on a failed build)."""
    src = write_handbook(tmp / "src")
    out = tmp / "site"
    r = subprocess.run([sys.executable, "-m", "handbook_gen", "build", str(src), "--out", str(out),
                        "--today", BUILD_DATE, "--no-history"], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"build failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return out
