"""Which departments a locality has at each level, and how they are named.

Generic for any city: the regions file says what exists; this module says which lines sit at city, county,
functional-zone and township level. Names follow common usage (县级生态环境部门 are branches of the city bureau
since the 2019 vertical reform; 委编办 are offices of the Party committee).
"""

from __future__ import annotations

import hashlib

from jianguan.core.codes import build_uscc

from .models import DepartmentKind as K

# Keyed and listed as `str`: a `DepartmentKind` is one, and a department's `kind` reads back as one.
CITY_KINDS: list[str] = [K.SCJG, K.ZRZY, K.STHJ, K.JTYS, K.WHLY, K.WJW, K.YJ, K.GA, K.ZJ, K.CGZF, K.NYNC, K.YB,
                         K.JR, K.SJJ, K.FGW, K.SF, K.WBB, K.GOV_OFFICE]
COUNTY_KINDS: list[str] = [k for k in CITY_KINDS if k != K.JR]
# A functional zone has its own administrative committee and branches of some city bureaus.
ZONE_BRANCH_KINDS: list[str] = [K.SCJG, K.STHJ, K.ZRZY, K.GA, K.YJ, K.ZJ]
# Lines whose officers do field enforcement (they get officers in the demo data).
ENFORCEMENT_KINDS: list[str] = [K.SCJG, K.ZRZY, K.STHJ, K.JTYS, K.WHLY, K.WJW, K.YJ, K.ZJ, K.CGZF, K.NYNC, K.YB]

SHORT: dict[str, str] = {
    K.SCJG: "市场监管局", K.ZRZY: "自然资源和规划局", K.STHJ: "生态环境局", K.JTYS: "交通运输局",
    K.WHLY: "文旅局", K.WJW: "卫健委", K.YJ: "应急局", K.GA: "公安局", K.ZJ: "住建局", K.CGZF: "城管执法委",
    K.NYNC: "农业农村局", K.YB: "医保局", K.JR: "地方金融工作局", K.SJJ: "政务服务和大数据管理局",
    K.FGW: "发改委", K.SF: "司法局", K.WBB: "委编办", K.GOV_OFFICE: "政府办", K.ZONE: "管委会",
    K.TOWNSHIP: "综合行政执法队",
}

DOMAINS: dict[str, tuple[list[str], list[str]]] = {
    K.SCJG: (["市场监管"], ["食品", "药品", "特种设备", "计量", "广告", "价格"]),
    K.ZRZY: (["自然资源"], ["土地", "矿产", "规划"]),
    K.STHJ: (["生态环境"], ["大气", "水", "固体废物", "辐射"]),
    K.JTYS: (["交通运输"], ["道路运输", "水路运输", "工程质量"]),
    K.WHLY: (["文化旅游"], ["文化市场", "旅游市场", "出版"]),
    K.WJW: (["卫生健康"], ["医疗机构", "公共卫生", "职业卫生"]),
    K.YJ: (["应急管理"], ["安全生产", "危险化学品", "非煤矿山"]),
    K.ZJ: (["住房城乡建设"], ["建筑市场", "工程质量", "房地产"]),
    K.CGZF: (["城市管理"], ["市容环境", "园林绿化", "燃气"]),
    K.NYNC: (["农业农村"], ["农产品质量", "农资", "动物卫生"]),
    K.YB: (["医疗保障"], ["医保基金"]),
}


def short_place(name: str) -> str:
    """咸安区 → 咸安, 嘉鱼县 → 嘉鱼, 赤壁市 → 赤壁 (for names like 生态环境局咸安分局)."""
    return name[:-1] if len(name) > 2 and name[-1] in "区县市" else name


def department_name(kind: str, *, region_name: str, city_name: str, level: str) -> str:
    label = K(kind).label
    if kind == K.WBB:
        return f"中共{region_name}委机构编制委员会办公室"
    if level == "county":
        if kind == K.STHJ:
            return f"{city_name}生态环境局{short_place(region_name)}分局"
        if kind == K.CGZF:
            return f"{region_name}城市管理执法局"
        if kind == K.WJW:
            return f"{region_name}卫生健康局"
    if level == "zone":
        if kind == K.ZONE:
            return f"{region_name}管理委员会"
        if kind in (K.SCJG, K.STHJ, K.ZRZY, K.GA):
            return f"{city_name}{label}{region_name.removeprefix(city_name[:-1])}分局"
        return f"{region_name}{label}"
    if level == "township":
        return f"{region_name}综合行政执法队"
    return f"{region_name}{label}"


def department_uscc(region_gb2260: str, key: str) -> str:
    """A stable synthetic 统一社会信用代码 for a government body (机构编制 11): demo data, not a real code."""
    digits = str(int(hashlib.sha256(key.encode()).hexdigest(), 16))[-7:]
    return build_uscc(authority="1", category="1", region=region_gb2260, org_body="0" + digits)
