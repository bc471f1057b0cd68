import pytest

from jianguan.core.codes import (
    build_uscc,
    mask_ric,
    org_code_check_char,
    ric_error,
    uscc_check_char,
    uscc_error,
    uscc_org_code_warning,
)

REAL = ["91350100M000100Y43", "9144030071526726XG", "91110000101623741K", "911101066976941872"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass_both_checks(code):
    assert uscc_error(code) is None
    assert not uscc_org_code_warning(code)


def test_sum_divisible_by_31_gives_zero_not_empty():
    """GB 32100: (31 − S mod 31) mod 31; the naive 31 − S mod 31 overflows the alphabet when S mod 31 = 0."""
    assert uscc_check_char("91421200MA4000223") == "0"
    assert uscc_error("91421200MA40002230") is None


@pytest.mark.parametrize(("code", "rule"), [
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y433", "length"),
    ("91350100M00O100Y43", "alphabet"),   # O is not in the alphabet
    ("9135010OM000100Y43", "alphabet"),   # positions 3–8 are digits
    ("91350100M000100Y44", "check_char"),
])
def test_invalid_codes_name_the_rule(code, rule):
    assert uscc_error(code) == rule


def test_org_code_check_x_and_zero():
    # C = 11 − S mod 11: 10 is written X, 11 is written 0
    bodies = {org_code_check_char(f"{n:08d}") for n in range(2000)}
    assert {"X", "0"} <= bodies


def test_build_uscc_is_valid_and_embeds_the_org_code():
    code = build_uscc(authority="1", category="1", region="421200", org_body="01234567")
    assert uscc_error(code) is None
    assert code[16] == org_code_check_char("01234567")


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_ric_examples_of_the_standard(number):
    assert ric_error(number) is None


@pytest.mark.parametrize(("number", "rule"), [
    ("11010519491231002", "length"),
    ("1101051949123100AX", "alphabet"),
    ("110105194902300021", "birth_date"),   # 30 February
    ("440524188001010015", "check_char"),
])
def test_ric_errors(number, rule):
    assert ric_error(number) == rule


def test_mask_keeps_region_prefix_and_last_four():
    assert mask_ric("11010519491231002X") == "1101**********002X"


def test_full_width_digits_are_refused_not_a_crash():
    """`\\d` also matches full-width digits (０–９); the shapes take ASCII digits only, so such a code is refused by
    its alphabet instead of failing inside the check-character computation."""
    assert uscc_error("91４21200MA40002230") == "alphabet"
    assert ric_error("４2120019900101123X") is not None
