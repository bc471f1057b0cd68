"""The custom redaction rules page: system and data administrators only, refusals shown with the rule named."""

from __future__ import annotations

import pytest

from jianguan.redaction.models import RedactionRule

pytestmark = pytest.mark.django_db

URL = "/redaction/rules/"
FORM = {"code": "plate", "pattern": "鄂L\\d{5}", "kind": "other", "description": "机动车号牌", "active": "on"}


@pytest.mark.parametrize("username", ["admin", "dataadmin"])
def test_administrators_read_and_save_rules(signed_in, persona, username):
    client = signed_in(persona(username))
    assert client.get(URL).status_code == 200
    assert client.post(URL, FORM).status_code == 302
    assert client.post(URL, {**FORM, "pattern": "鄂L\\d{4}"}).status_code == 302
    page = client.get(URL).content.decode()
    assert "plate" in page and "鄂L\\d{4}" in page
    assert list(RedactionRule.objects.values_list("version", flat=True)) == [2, 1]


@pytest.mark.parametrize("username", ["scjg_officer", "scjg_head", "scjg_admin", "leader", "legal_reviewer"])
def test_other_personas_are_refused_reading_and_saving(signed_in, persona, username):
    client = signed_in(persona(username))
    assert client.get(URL).status_code == 403
    assert client.post(URL, FORM).status_code == 403
    assert not RedactionRule.objects.exists()


def test_anonymous_callers_go_to_sign_in(client):
    assert client.get(URL).status_code == 302
    assert client.post(URL, FORM).status_code == 302
    assert not RedactionRule.objects.exists()


@pytest.mark.parametrize(("pattern", "code"), [("[a-", "pattern_invalid"), ("a*", "pattern_matches_empty")])
def test_a_bad_pattern_is_refused_on_the_page_with_its_rule(signed_in, persona, pattern, code):
    client = signed_in(persona("admin"))
    page = client.post(URL, {**FORM, "pattern": pattern}, follow=True).content.decode()
    assert code in page and "正则表达式" in page
    assert not RedactionRule.objects.exists()


def test_the_menu_shows_the_page_to_administrators_only(signed_in, persona):
    assert URL in signed_in(persona("admin")).get("/").content.decode()
    assert URL not in signed_in(persona("scjg_officer")).get("/").content.decode()
