"""Demo articles of the city 市场监督管理局, made through the services: written by its officer, published by its
publisher (信息发布审核人) — several of each column, a 曝光台 article from each of (at most three of) its closed
cases whose penalty decision is published, one withdrawn with its reason, one returned for changes, one awaiting
review."""

from __future__ import annotations

from django.db import transaction

from jianguan.accounts.models import User
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.disclosure.contracts import published_decision
from jianguan.enforcement.models import Case, CaseStatus, Outcome

from . import exposure, services
from .models import Article, ArticleKind

K = ArticleKind
# (column, title, summary, body)
PLAN: list[tuple[str, str, str, str]] = [
    (K.NEWS, "开展春季食品安全专项检查", "对辖区农贸市场、超市和校园周边食品经营者开展专项检查。",
     "近日，{d}组织执法人员对辖区农贸市场、大型超市和校园周边食品经营者开展春季食品安全专项检查。\n\n"
     "本次检查重点关注食品进货查验记录、过期食品清理和从业人员健康证明，共检查经营主体百余家，"
     "责令整改问题十余项。"),
    (K.NEWS, "“双随机一公开”抽查结果按期公示", "年度第一批随机抽查任务已完成并公示结果。",
     "{d}年度第一批“双随机、一公开”抽查任务已全部完成，抽查结果已在服务门户公示，接受社会监督。"),
    (K.NEWS, "召开信用监管工作推进会", "部署信用风险分类与差异化监管工作。",
     "{d}召开信用监管工作推进会，部署经营主体信用风险分类管理与差异化监管工作。"),
    (K.NOTICE, "关于开展年度报告公示工作的通知", "请各类经营主体按时报送并公示年度报告。",
     "各类经营主体应当于每年1月1日至6月30日，通过国家企业信用信息公示系统报送上一年度年度报告，并向社会公示。\n\n"
     "未按规定期限公示年度报告的，将依法列入经营异常名录。"),
    (K.NOTICE, "关于公布投诉举报渠道的公告", "服务门户在线投诉举报渠道已开通。",
     "社会公众可通过服务门户“投诉举报”栏目在线反映经营主体的违法行为，{d}将依法受理、按时办结。"),
    (K.CASE, "某超市销售过期食品案", "销售超过保质期的食品，依法予以处罚。",
     "执法人员检查发现当事人货架上陈列销售超过保质期的食品，违反《中华人民共和国食品安全法》第三十四条第（十）项。\n\n"
     "{d}依据该法第一百二十四条，依法作出没收违法所得并处罚款的行政处罚。"),
    (K.CASE, "某药店未凭处方销售处方药案", "未凭处方销售处方药，责令改正并处罚款。",
     "当事人未凭医师处方销售处方药，{d}依法责令改正，并作出警告和罚款的行政处罚。"),
]
EXPOSED = 3  # 曝光台 articles, from closed cases whose penalty decision is published
WITHDRAWN = "信息有误，内容已更正后重新发布"


def _publish(article: Article, officer: User, publisher: User) -> Article:
    services.article_transition(article_id=article.pk, action="submit", actor=officer)
    return services.article_transition(article_id=article.pk, action="publish", actor=publisher)


def _write(officer: User, publisher: User) -> int:
    name = officer.department.name
    made = 0
    for kind, title, summary, body in PLAN:
        article = services.article_create(actor=officer, values={
            "kind": kind, "title": title, "summary": summary, "body": body.format(d=name)})
        _publish(article, officer, publisher)
        made += 1
    cases = Case.objects.filter(department_id=officer.department_id, outcome=Outcome.PENALTY,
                                status__in=(CaseStatus.CLOSED, CaseStatus.ARCHIVED)).order_by("pk")
    published = [case for case in cases.iterator() if published_decision(
        kind=exposure.PENALTY, source_number=case.behaviour_number) is not None][:EXPOSED]
    for case in published:
        _publish(exposure.exposure_from_case(case_number=case.number, actor=officer), officer, publisher)
        made += 1
    withdrawn = services.article_create(actor=officer, values={
        "kind": K.NEWS, "title": "关于调整办事大厅服务时间的通知（已撤回）", "body": "办事大厅服务时间调整。"})
    _publish(withdrawn, officer, publisher)
    services.article_transition(article_id=withdrawn.pk, action="withdraw", note=WITHDRAWN, actor=publisher)
    returned = services.article_create(actor=officer, values={"kind": K.NEWS, "title": "开展计量器具专项检查",
                                                                  "body": "对集贸市场在用计量器具开展检查。"})
    services.article_transition(article_id=returned.pk, action="submit", actor=officer)
    services.article_transition(article_id=returned.pk, action="return", note="请补充检查数量和结果", actor=publisher)
    waiting = services.article_create(actor=officer, values={"kind": K.NOTICE, "title": "关于开展消费投诉公示的公告",
                                                                 "body": "对消费投诉信息依法进行公示。"})
    services.article_transition(article_id=waiting.pk, action="submit", actor=officer)
    return made


def seed_articles(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return
    officer = User.objects.filter(username="scjg_officer").select_related("department").first()
    publisher = User.objects.filter(username="scjg_publisher").first()
    if officer is None or publisher is None:
        ctx.say("  监管动态：没有本级市场监督管理局的执法人员和信息发布审核人，未生成")
        return
    with transaction.atomic():
        made = _write(officer, publisher)
    ctx.say(f"  监管动态与曝光台 已发布 {made} 篇")


STEPS = [SeedStep("监管动态与曝光台", 95, seed_articles)]
