import datetime as dt
import hashlib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from jianguan.core.canonical import canonical_json, canonical_json_plain, parse_json_plain, to_jsonable
from jianguan.core.hashing import digest_function, sm3_hex


def test_sm3_standard_examples():
    """GB/T 32905-2016 appendix A: "abc" and the 64-byte "abcd"×16."""
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm3_pure_python_agrees_with_openssl_where_available():
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL build has no SM3; the pure implementation is checked by the standard's examples")
    for message in (b"", b"x" * 55, b"y" * 56, b"z" * 64, "监管".encode() * 100):
        assert sm3_hex(message) == hashlib.new("sm3", message).hexdigest()


def test_digest_function_by_name():
    assert digest_function("sha256")(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert digest_function("sm3")(b"abc").startswith("66c7f0f4")
    with pytest.raises(ValueError):
        digest_function("md5")


def test_canonical_json_sorts_keys_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": "咸宁"}) == '{"a":"咸宁","b":1}'.encode()


def test_to_jsonable_converts_and_refuses():
    moment = dt.datetime(2026, 10, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert to_jsonable({"d": dt.date(2026, 1, 2), "t": moment, "n": Decimal("1.50"), "s": {3, 1}}) == {
        "d": "2026-01-02", "t": "2026-10-01T00:00:00Z", "n": "1.50", "s": [1, 3]}
    with pytest.raises(TypeError):
        to_jsonable(1.5)
    with pytest.raises(TypeError):
        to_jsonable(dt.datetime(2026, 1, 1))  # naive


PLAIN_SAMPLES = [
    "".join(chr(c) for c in range(0x0, 0xD800)),  # controls, quotes, backslash, DEL, U+2028/9, CJK
    "".join(chr(c) for c in range(0xE000, 0x10000)) + "\U0001F600\U00020000\U0010FFFF",
    {"é": 1, "e": [True, False, None], "中": {"z": -(2**63), "a": 2**64 - 1}, "\U0001F600": "", "": 0},
    [[], {}, "", 0, -1, "91421200MA4K000001", {"object": "x", "inspector": "y", "reason": "avoidance: 亲属"}],
]


@pytest.mark.parametrize("value", PLAIN_SAMPLES)
def test_canonical_json_plain_writes_the_standard_bytes(value):
    assert canonical_json_plain(value) == canonical_json(value)
    assert parse_json_plain(canonical_json_plain(value)) == value


def test_canonical_json_plain_falls_back_where_orjson_refuses():
    for value in ({2: "a", 10: "b"}, [2**70, -(2**70)]):  # keys the standard writer turns into strings; big ints
        assert canonical_json_plain(value) == canonical_json(value)
    assert parse_json_plain(b'"\\ud800"') == "\ud800"
    with pytest.raises(ValueError):
        parse_json_plain(b"{")
