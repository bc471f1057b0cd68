"""Input lines for the risk benchmark, generated from a seeded random source (the same seed, the same lines).

Ads and web pages (for `medical_ad` and `fundraising`) are sentences of ordinary shop, clinic, notice and
community text; listings (for `drug_sales`, `rx_sales` and `device_sales`) are shop lines with a product name, a
number and a short page text. A share of the lines (`claims`, 8 % by default) carries a claim taken from the
models' own lexicons, most written as listed and some evaded as monitoring finds them (spaces, zero-width
characters, emoji between characters, traditional characters, one character in pinyin or as a homophone); a share
of the listings breaks a listing rule (a banned drug, a social app as platform, no prescription step, a device
number of another class). `evaded=False` writes every claim as listed: the lines on which a keyword loop over the
raw text must find what the engine finds.
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

import opencc
from pypinyin import lazy_pinyin

from jianguan.risk.rules_listings import device_class_of

LEXICONS = Path(__file__).resolve().parent.parent / "jianguan" / "risk" / "lexicons"
AD_MODELS = ("medical_ad", "fundraising")
LISTING_MODELS = ("drug_sales", "rx_sales", "device_sales")

AD_SENTENCES = (
    "本店新到一批春季女装，欢迎进店选购", "周末亲子手工活动报名中，名额有限请尽早报名",
    "门诊时间调整为每日八点至十七点",
    "口腔诊所洗牙预约，地址在温泉路{n}号", "社区卫生服务中心开展免费测血压服务",
    "小区停水通知：明日上午九点至十二点",
    "咸宁市第一人民医院专家门诊排班表已更新", "农家乐土鸡土鸭现杀现做，包厢可订",
    "驾校暑期班开始招生，学车就来",
    "家电以旧换新活动持续到月底", "书法培训班周六上课，欢迎家长咨询",
    "新鲜水果每日直供，满{n}元送货上门",
    "宠物医院提供疫苗接种与体检服务", "本公司长期招聘仓库管理员，待遇面议",
    "理发店会员充值送护理一次",
    "幼儿园秋季学期报名开始，地址见下图", "中医馆推拿理疗，营业时间上午八点到晚上九点",
    "二手房出售，三室两厅，南北通透",
    "电动车维修、换电池，价格公道", "健身房开业酬宾，年卡优惠", "眼镜店验光配镜，当天取镜",
    "装修公司免费上门量房设计", "茶叶店新茶上市，欢迎品鉴", "超市周三会员日，部分商品八折",
    "婚纱摄影套餐升级，详情请来电", "游泳馆夏季开放时间公告", "本季度客流统计已发布，详见附件",
    "居民医保缴费窗口延长服务时间", "养老服务中心志愿者招募启事", "药店营业时间为早八点至晚十点",
)
AD_CLAIMS = ("我们的疗法{t}，欢迎咨询", "{t}，详情请来电", "本品{t}，放心选购", "专业团队，{t}", "{t}！机会难得")
FUND_CLAIMS = ("项目{t}，欢迎加入", "{t}，名额有限", "合作社{t}，详询客服", "{t}，先到先得")
COMBINED = (("治疗", "保健食品"), ("养老", "讲座"), ("退休", "免费体检"))

PRODUCTS = (
    ("维生素C片", "国药准字H{d}"), ("布洛芬缓释胶囊", "国药准字H{d}"), ("阿莫西林胶囊", "国药准字H{d}"),
    ("板蓝根颗粒", "国药准字Z{d}"), ("医用外科口罩", "鄂械注准2021214{s}"), ("电子血压计", "粤械注准2020207{s}"),
    ("创可贴", "鄂汉械备{d}号"), ("医用棉签", "苏泰械备{d}号"), ("血糖试纸", "国械注准2022340{s}"),
    ("感冒灵颗粒", "国药准字Z{d}"), ("氯雷他定片", "国药准字H{d}"), ("碘伏消毒液", "鄂汉械备{d}号"),
)
LISTING_TEXTS = ("{p} 正品保障 当天发货", "{p} 规格齐全 量大从优", "{p} 药店直营 包邮", "{p} 官方旗舰店 售后无忧",
                 "{p} 新客立减 支持医保", "{p} 正规渠道 可开发票")
PLATFORMS = ("某电商平台", "某医药平台", "某团购平台")
BAD_PRODUCTS = (("头孢地尼胶囊", "国药准字H{d}"), ("盐酸曲马多片", "国药准字H{d}"), ("地高辛片", "国药准字H{d}"),
                ("人血白蛋白", "国药准字S{d}"))
EVASIONS = ("spaces", "zero_width", "emoji", "traditional", "pinyin", "homophone")


@cache
def claim_terms(model: str) -> tuple[str, ...]:
    """The patterns of the rules a claim may be written with (rules the lexicon-judged indicators read)."""
    data = json.loads((LEXICONS / f"{model}.json").read_text("utf-8"))
    skip = {"medical_ad.treatment_word", "medical_ad.non_medical_product", "fundraising.elderly_topic",
            "fundraising.seminar", "fundraising.restricted_word"}
    return tuple(p for entry in data["entries"] if entry["rule"] not in skip for p in entry["patterns"]
                 if not p.isascii())


@cache
def _homophones() -> dict[str, list[str]]:
    return dict(json.loads((LEXICONS / "homophones.json").read_text("utf-8"))["characters"])


@cache
def _traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def evade(term: str, how: str, rng: random.Random) -> str:
    """`term` written the way `how` names."""
    if how == "spaces":
        return " ".join(term)
    if how == "zero_width":
        return "\u200b".join(term)
    if how == "emoji":
        return "🔥".join(term)
    if how == "traditional":
        return str(_traditional().convert(term))
    place = rng.randrange(len(term))
    if how == "homophone":
        known = [i for i, char in enumerate(term) if char in _homophones()]
        if known:
            place = rng.choice(known)
            return term[:place] + rng.choice(_homophones()[term[place]]) + term[place + 1:]
    return term[:place] + lazy_pinyin(term[place])[0] + term[place + 1:]


def _claim(model: str, rng: random.Random, evaded: bool) -> str:
    if rng.random() < 0.15:
        first, second = rng.choice(COMBINED)
        return f"{first}效果好，{second}" if model == "medical_ad" else f"{first}人士{second}"
    term = rng.choice(claim_terms(model))
    if evaded and rng.random() < 0.3:
        term = evade(term, rng.choice(EVASIONS), rng)
    return rng.choice(AD_CLAIMS if model == "medical_ad" else FUND_CLAIMS).format(t=term)


def ad_line(number: int, rng: random.Random, *, claims: float, evaded: bool) -> dict[str, Any]:
    """An ad or web page: three to eight ordinary sentences, a claim among them for a share `claims` of lines."""
    sentences = [s.format(n=rng.randrange(1, 999)) for s in rng.choices(AD_SENTENCES, k=rng.randrange(3, 9))]
    if rng.random() < claims:
        sentences.insert(rng.randrange(len(sentences) + 1), _claim(rng.choice(AD_MODELS), rng, evaded))
    return {"id": f"ad{number:07d}", "text": "。".join(sentences) + "。"}


def listing_line(number: int, rng: random.Random, *, claims: float, evaded: bool) -> dict[str, Any]:
    """A listing: product, number, page text; for a share `claims` of lines one of the listing rules broken."""
    bad = rng.random() < claims
    product, form = rng.choice(BAD_PRODUCTS if bad and rng.random() < 0.4 else PRODUCTS)
    text = rng.choice(LISTING_TEXTS).format(p=product)
    line: dict[str, Any] = {"id": f"li{number:07d}", "seller": f"店铺{rng.randrange(100_000):05d}",
                            "platform": rng.choice(PLATFORMS), "product_name": product,
                            "registration_number": form.format(d=rng.randrange(10**7, 10**8),
                                                               s=f"{rng.randrange(10**4):04d}"),
                            "prescription_step": True}
    if "械" in line["registration_number"]:
        line["device_class"] = device_class_of(line["registration_number"])
    if bad:
        choice = rng.randrange(4)
        if choice == 0:
            line["platform"] = "微信"
        elif choice == 1:
            line["prescription_step"] = False
        elif choice == 2:
            wording = rng.choice(("免处方", "无需处方", "加微信"))
            text += "，" + (evade(wording, rng.choice(EVASIONS), rng) if evaded and rng.random() < 0.3 else wording)
        elif "device_class" in line:
            line["device_class"] = 3
    line["text"] = text
    return line


def generate(count: int, *, seed: int = 16, claims: float = 0.08, evaded: bool = True,
             listings: float = 0.5) -> list[tuple[str, dict[str, Any]]]:
    """`count` lines as (kind, fields): kind `ad` (a share 1 − `listings`) or `listing`."""
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        if rng.random() < listings:
            lines.append(("listing", listing_line(number, rng, claims=claims, evaded=evaded)))
        else:
            lines.append(("ad", ad_line(number, rng, claims=claims, evaded=evaded)))
    return lines
