from django.urls import include, path

from jianguan.config.api import api
from jianguan.portal.views import set_language

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("jianguan.portal.urls")),
    path("", include("jianguan.accounts.urls")),
    path("", include("jianguan.audit.urls")),
    path("", include("jianguan.subjects.urls")),
    path("", include("jianguan.laws.urls")),
    path("", include("jianguan.catalog.urls")),
    path("", include("jianguan.chain.urls")),
    path("", include("jianguan.complaints.urls")),
    path("", include("jianguan.enforcement.urls")),
    path("", include("jianguan.behaviour.urls")),
    path("", include("jianguan.credit.urls")),
    path("", include("jianguan.discretion.urls")),
    path("", include("jianguan.risk.urls")),
    path("", include("jianguan.remote.urls")),
    path("", include("jianguan.spotchecks.urls")),
    path("", include("jianguan.documents.urls")),
    path("", include("jianguan.coercion.urls")),
    path("", include("jianguan.inspections.urls")),
    path("", include("jianguan.exchange.urls")),
    path("", include("jianguan.disclosure.urls")),
    path("", include("jianguan.joint.urls")),
    path("", include("jianguan.casebook.urls")),
    path("", include("jianguan.evaluation.urls")),
    path("", include("jianguan.leaders.urls")),
    path("", include("jianguan.redaction.urls")),
    path("", include("jianguan.articles.urls")),
    path("", include("jianguan.opendata.urls")),
]
