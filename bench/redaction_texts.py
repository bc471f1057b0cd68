"""Decisions' texts for the redaction benchmark and the engine's tests: 违法事实, 处罚依据, 处罚内容 and the rest
as a 行政处罚 decision writes them, with ID numbers (some with a wrong check digit), mobile and landline numbers
in several writings, bank cards (some failing Luhn) and accounts, home addresses down to the room, witnesses'
and representatives' names, dates, amounts and legal references. Deterministic for a seed."""

from __future__ import annotations

import random
from typing import Any

from jianguan.core.codes import ric_check_char

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟强敏静磊洋勇艳杰娟涛明超秀英华慧建国平刚桂芳军红玉兰志文斌辉鹏宇浩"
ROADS = ["金桂路", "温泉路", "咸宁大道", "长江路", "青龙路", "贺胜路", "银泉大道", "淦河路", "双鹤路", "旗鼓大道"]
STREETS = ["温泉街道", "永安街道", "浮山街道", "凤凰街道", "官埠桥镇", "马桥镇"]
GOODS = ["过期食品", "不合格电线", "假冒白酒", "无证药品", "过期化妆品", "劣质轮胎", "未经检验的电梯配件"]
LAWS = ["《中华人民共和国食品安全法》第一百二十四条第一款第（三）项", "《中华人民共和国产品质量法》第四十九条",
        "《中华人民共和国药品管理法》第一百一十五条", "《中华人民共和国广告法》第五十五条第一款",
        "《中华人民共和国行政处罚法》第二十八条第一款", "《中华人民共和国反不正当竞争法》第二十条"]
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _ric(rng: random.Random, *, valid: bool = True) -> str:
    body = f"4212{rng.randint(1, 30):02d}{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    check = ric_check_char(body)
    return body + (check if valid else "0123456789X".replace(check, "")[rng.randrange(10)])


def _luhn_digit(body: str) -> str:
    total = 0
    for index, char in enumerate(reversed(body)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def _card(rng: random.Random, *, valid: bool = True) -> str:
    body = "6222" + "".join(str(rng.randrange(10)) for _ in range(rng.choice((11, 14))))
    check = _luhn_digit(body)
    number = body + (check if valid else str((int(check) + 1 + rng.randrange(9)) % 10))
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4)) if rng.random() < 0.3 else number


def _phone(rng: random.Random) -> str:
    number = f"1{rng.choice('3456789')}{rng.randrange(10)}{rng.randrange(10**8):08d}"
    style = rng.randrange(5)
    if style == 1:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == 2:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == 3:
        return f"0715-{rng.randint(2, 8)}{rng.randrange(10**6):06d}"
    if style == 4 and rng.random() < 0.3:
        return number.translate(WIDE)
    return number


def _address(rng: random.Random) -> str:
    detail = f"{rng.randint(1, 400)}号"
    if rng.random() < 0.6:
        detail += f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
    return f"湖北省咸宁市咸安区{rng.choice(STREETS)}{rng.choice(ROADS)}{detail}"


def decision(rng: random.Random) -> dict[str, Any]:
    """One decision's fields, its persons, the party and the fields marked secret."""
    party, witness, other, rep = _name(rng), _name(rng), _name(rng), _name(rng)
    day = f"{rng.randint(2024, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    amount, fine = rng.randint(200, 90000), rng.randint(1, 50) * 1000
    facts = (
        f"经查，当事人{party}（公民身份号码{_ric(rng)}，联系电话{_phone(rng)}）于{day}在其位于"
        f"{rng.choice(STREETS)}{rng.choice(ROADS)}{rng.randint(1, 300)}号的经营场所销售{rng.choice(GOODS)}"
        f"{rng.randint(2, 400)}件，货值金额{amount}元，违法所得{amount // 3}元。证人{witness}（身份证号"
        f"{_ric(rng, valid=rng.random() < 0.8)}，住{_address(rng)}，电话{_phone(rng)}）证实，当事人通过其银行卡"
        f"{_card(rng, valid=rng.random() < 0.8)}收取货款，并由{other}代为送货。{other}称其联系方式为{_phone(rng)}。"
        f"当事人委托代理人{rep}到咸宁市市场监督管理局接受询问，对上述事实无异议。以上事实有现场检查笔录、"
        f"询问笔录、进货单据、银行交易明细（账号：{rng.randrange(10**16, 10**17)}）等证据证实。")
    basis = f"依据{rng.choice(LAWS)}、{rng.choice(LAWS)}的规定，参照《湖北省市场监督管理行政处罚裁量权基准》。"
    content = f"1. 没收{rng.choice(GOODS)}{rng.randint(2, 400)}件；2. 没收违法所得{amount // 3}元；3. 罚款{fine}元。"
    fields = {"当事人名称": party, "违法行为类型": f"销售{rng.choice(GOODS)}", "违法事实": facts, "处罚依据": basis,
              "处罚内容": content, "处罚机关": "咸宁市市场监督管理局", "备注": f"决定书于{day}送达。"}
    return {"fields": fields, "persons": [party, witness, other, rep], "party": party, "secret_fields": ()}


def decisions(count: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [decision(rng) for _ in range(count)]
