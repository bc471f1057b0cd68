"""One scoping mechanism: department line × jurisdiction, wide reads only by explicit roles."""

from __future__ import annotations

import pytest

from jianguan.accounts.models import Department, DepartmentKind, Region
from jianguan.audit.models import AuditEvent
from jianguan.audit.services import record
from jianguan.core.errors import NotFound
from jianguan.core.scoping import Scope, ScopedQuerySet
from jianguan.subjects.models import MarketEntity

pytestmark = pytest.mark.django_db


def test_city_officer_sees_the_city_and_the_departments_of_the_line(officer):
    scope = officer.scope
    assert "421200" in scope.region_codes and "421202001" in scope.region_codes and "421202570" in scope.region_codes
    lines = set(Department.objects.filter(pk__in=scope.department_ids).values_list("kind", flat=True))
    assert lines == {DepartmentKind.SCJG}
    assert len(scope.department_ids) == 8  # the city bureau, six counties and the zone's branch


def test_county_officer_sees_only_the_county(county_officer):
    scope = county_officer.scope
    assert "421202" in scope.region_codes and "421202001" in scope.region_codes
    assert "421200" not in scope.region_codes and "421221" not in scope.region_codes
    assert scope.department_ids == frozenset({county_officer.department_id})


def test_functional_zone_is_its_own_jurisdiction(county_officer):
    """咸宁高新区 (statistically a unit of 咸安区) is supervised by its own bodies, not by 咸安区's."""
    assert "421202570" not in county_officer.scope.region_codes
    assert Region.objects.get(code="421202570").parent_id == "421200"


@pytest.mark.parametrize("username", ["dataadmin", "leader", "admin"])
def test_wide_read_roles_see_every_department_of_their_jurisdiction(persona, username):
    scope = persona(username).scope
    assert scope.department_ids is None and "421281" in scope.region_codes


def test_legal_reviewer_and_department_admin_see_their_line(persona):
    for username in ("legal_reviewer", "scjg_admin"):
        assert persona(username).scope.department_ids is not None


def test_entities_are_scoped_by_region(officer, county_officer):
    city_count = MarketEntity.objects.visible_to(officer).count()
    county = MarketEntity.objects.visible_to(county_officer)
    assert city_count == MarketEntity.objects.count()
    assert 0 < county.count() < city_count
    assert not county.exclude(region__code__startswith="421202").exists()
    assert not county.filter(region_id="421202570").exists()


def test_out_of_scope_detail_is_not_found(county_officer):
    elsewhere = MarketEntity.objects.exclude(region__path__contains="/421202/").first()
    with pytest.raises(NotFound):
        MarketEntity.objects.get_visible(county_officer, uscc=elsewhere.uscc)
    with pytest.raises(NotFound):
        MarketEntity.objects.get_visible(county_officer, uscc="91421200MA40002230")  # does not exist at all


def test_audit_events_of_another_department_are_invisible(officer, outsider):
    mine = record(actor=officer, verb="test.mine", target=officer)
    theirs = record(actor=outsider, verb="test.theirs", target=outsider)
    visible = AuditEvent.objects.visible_to(officer)
    assert visible.filter(pk=mine.pk).exists()
    assert not visible.filter(pk=theirs.pk).exists()
    assert not AuditEvent.objects.visible_to(outsider).filter(pk=mine.pk).exists()


def test_inactive_user_sees_nothing(persona):
    user = persona("scjg_officer")
    user.is_active = False
    assert user.scope == Scope.nothing()
    assert MarketEntity.objects.visible_to(user).count() == 0


def test_a_model_without_scope_fields_refuses_to_be_scoped(officer):
    class Unscoped(ScopedQuerySet):
        pass

    queryset = Unscoped(model=Region)
    with pytest.raises(TypeError):
        queryset.visible_to(officer)
