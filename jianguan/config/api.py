"""The API root: `/api/v1/`, its OpenAPI document, docs page, error envelope and health check."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest
from ninja import Schema

import jianguan
from jianguan.accounts.api import router as accounts_router
from jianguan.accounts.api_auth import AUTH
from jianguan.audit.api import router as audit_router
from jianguan.casebook.api import router as casebook_router
from jianguan.catalog.api import router as catalog_router
from jianguan.catalog.api_changes import router as catalog_changes_router
from jianguan.catalog.api_fusion import router as catalog_fusion_router
from jianguan.catalog.api_mappings import router as catalog_mappings_router
from jianguan.chain.api import router as chain_router
from jianguan.coercion.api import router as coercion_router
from jianguan.complaints.api import router as complaints_router
from jianguan.core.api import ChineseJSONRenderer, JianguanAPI, StrictParser, harden, install_error_envelope
from jianguan.credit.api import router as credit_router
from jianguan.credit.api_repairs import router as credit_repairs_router
from jianguan.documents.api import router as documents_router
from jianguan.enforcement.api import router as enforcement_router
from jianguan.evaluation.api import router as evaluation_router
from jianguan.exchange.api import router as exchange_router
from jianguan.inspections.api import router as inspections_router
from jianguan.joint.api import router as joint_router
from jianguan.laws.api import router as laws_router
from jianguan.opendata.api import router as opendata_router
from jianguan.remote.api import router as remote_router
from jianguan.risk.api import router as risk_router
from jianguan.spotchecks.api import router as spotchecks_router
from jianguan.subjects.api import router as subjects_router

api = JianguanAPI(
    title="jianguan API",
    version="1",
    description="互联网+监管平台接口。错误统一为 {code, message, field, extra}；"
                "浏览器用会话，人员用 Bearer 令牌（POST /auth/token），外部系统用 X-API-Key。",
    urls_namespace="api",
    auth=AUTH,
    renderer=ChineseJSONRenderer(),
    parser=StrictParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_envelope(api)


class HealthOut(Schema):
    status: str
    version: str
    database: str
    migrations_applied: bool


_migrations_seen_applied = False


def _migrations_applied() -> bool:
    """Whether every migration is applied; once true it stays true for this process (code cannot change under it)."""
    global _migrations_seen_applied
    if not _migrations_seen_applied:
        executor = MigrationExecutor(connection)
        _migrations_seen_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_seen_applied


@api.get("/health", response=HealthOut, auth=None, tags=["运行状态 health"])
def health(request: HttpRequest) -> dict[str, Any]:
    """Liveness and readiness: version, database kind and whether every migration is applied."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        applied = _migrations_applied()
        status = "ok" if applied else "migrations_pending"
    except Exception:  # the database is unreachable: say so rather than fail the probe
        applied, status = False, "database_unavailable"
    return {"status": status, "version": jianguan.__version__, "database": connection.vendor,
            "migrations_applied": applied}


api.add_router("", accounts_router)
api.add_router("", audit_router)
api.add_router("", subjects_router)
api.add_router("", laws_router)
api.add_router("", catalog_router)
api.add_router("", catalog_changes_router)
api.add_router("", catalog_mappings_router)
api.add_router("", catalog_fusion_router)
api.add_router("", chain_router)
api.add_router("", complaints_router)
api.add_router("", credit_router)
api.add_router("", credit_repairs_router)
api.add_router("", risk_router)
api.add_router("", remote_router)
api.add_router("", spotchecks_router)
api.add_router("", documents_router)
api.add_router("", enforcement_router)
api.add_router("", coercion_router)
api.add_router("", inspections_router)
api.add_router("", exchange_router)
api.add_router("", opendata_router)
api.add_router("", joint_router)
api.add_router("", casebook_router)
api.add_router("", evaluation_router)
harden(api)  # after every router: each operation's integers bounded to 64 bits
