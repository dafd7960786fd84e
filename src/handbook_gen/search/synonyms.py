"""The synonym table of search: everyday words staff type and the normative terms policies
and regulations use (辞退 ~ 解除劳动合同, 加班费 ~ 加班工资 ...).

Owns: the default groups and their merge with a handbook's own (``search: {synonyms: ...}``
in ``_handbook.yaml``, validated in source/config.py). A group is a list of words that may
stand for each other; the client tries a question's words replaced by the other members of
their group as extra query variants when the words as typed find little (docs/search.md,
"Forgiving matching"). Words are normalised like queries (the client folds them again).
"""
from __future__ import annotations

from typing import Iterable, Sequence

DEFAULT: tuple[tuple[str, ...], ...] = (
    # employment: ending it, pay, time
    ("辞退", "解除劳动合同", "解雇", "开除"),
    ("辞职", "离职", "劳动者提前三十日"),
    ("赔偿", "经济补偿", "赔偿金"),
    ("赔钱", "经济补偿", "赔偿金"),
    ("赔", "经济补偿", "赔偿"),
    ("补偿金", "经济补偿"),
    ("裁员", "经济性裁员", "裁减人员"),
    ("加班费", "加班工资", "加班费用"),
    ("加班", "延长工作时间", "延长劳动时间"),
    ("工资", "劳动报酬", "薪酬", "薪资"),
    ("薪水", "工资", "劳动报酬"),
    ("欠薪", "拖欠工资", "拖欠劳动报酬"),
    ("扣工资", "克扣工资", "扣减工资"),
    ("最低工资", "最低工资标准"),
    ("奖金", "绩效奖金", "奖励"),
    ("上班时间", "工作时间"),
    ("双休", "休息日"),
    ("调休", "补休", "安排补休"),
    ("年假", "年休假", "带薪年休假"),
    ("病假", "医疗期"),
    ("产假", "生育假"),
    ("陪产假", "护理假"),
    ("婚假", "婚丧假"),
    ("放假", "法定节假日", "法定休假日"),
    ("请假", "休假"),
    ("旷工", "无故缺勤"),
    ("转正", "试用期满"),
    ("合同到期", "劳动合同期满"),
    ("竞业", "竞业限制"),
    ("保密协议", "保密义务", "保守商业秘密"),
    ("押金", "收取财物", "担保"),
    ("社保", "社会保险"),
    ("五险一金", "社会保险", "住房公积金"),
    ("公积金", "住房公积金"),
    ("医保", "基本医疗保险", "医疗保险"),
    ("养老金", "基本养老保险", "养老保险"),
    ("失业金", "失业保险金"),
    ("工伤", "因工负伤", "工伤保险"),
    ("退休", "退休年龄"),
    ("打官司", "诉讼", "起诉"),
    ("劳动仲裁", "劳动争议仲裁"),
    ("投诉", "举报", "申诉"),
    # money and office work
    ("报销", "报账", "核销"),
    ("发票", "票据"),
    ("出差", "差旅"),
    ("车补", "交通补贴", "交通费"),
    ("餐补", "伙食补助", "伙食补贴"),
    ("审批", "批准", "核准"),
    ("签字", "签批", "签署"),
    ("盖章", "用印", "印章"),
    ("公章", "印章"),
    ("开会", "会议"),
    ("招标", "招投标", "投标"),
    ("买东西", "采购"),
    ("电脑", "计算机"),
    ("密码", "口令"),
    ("泄密", "泄露秘密", "泄露"),
    ("处分", "处罚", "纪律处分"),
    ("罚钱", "罚款"),
    # everyday words in local regulations
    ("小孩", "儿童", "未成年人"),
    ("孩子", "子女", "未成年人"),
    ("老人", "老年人"),
    ("残疾人", "残疾"),
    ("养狗", "养犬"),
    ("停车", "机动车停放", "停放"),
    ("电动车", "电动自行车"),
    ("垃圾", "生活垃圾", "固体废物"),
    ("环保", "环境保护"),
    ("物业", "物业服务", "物业管理"),
    ("业委会", "业主委员会"),
    ("租房", "房屋租赁", "承租"),
    ("房东", "出租人"),
    ("拆迁", "征收", "房屋征收"),
    ("执照", "营业执照", "许可证"),
    ("喝酒", "饮酒"),
    ("开车", "驾驶"),
)


def groups(extra: Iterable[Sequence[str]] = ()) -> list[list[str]]:
    """A handbook's own groups followed by the defaults (each with at least two distinct
    words): the client tries a word's alternatives in this order."""
    out: list[list[str]] = []
    for g in [tuple(x) for x in extra] + list(DEFAULT):
        words = list(dict.fromkeys(w.strip() for w in g if w and w.strip()))
        if len(words) >= 2:
            out.append(words)
    return out
