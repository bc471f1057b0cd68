"""Hash functions by name: SHA-256 (default) and SM3 (GB/T 32905-2016, for 国密 deployments).

SM3 comes from OpenSSL through hashlib where the build offers it, otherwise from the pure-Python
implementation below (slower, same digests; tested against the standard's examples).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable

ALGORITHMS = ("sha256", "sm3")


def digest_function(name: str) -> Callable[[bytes], str]:
    """Return a function bytes -> lowercase hex digest for `name`."""
    if name == "sha256":
        return lambda data: hashlib.sha256(data).hexdigest()
    if name == "sm3":
        if "sm3" in hashlib.algorithms_available:
            return lambda data: hashlib.new("sm3", data).hexdigest()
        return sm3_hex
    raise ValueError(f"unknown hash algorithm {name!r}; expected one of {ALGORITHMS}")


_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


_T = [_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64)]


def _compress(v: list[int], block: bytes) -> list[int]:
    w = list(struct.unpack(">16I", block))
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    w1 = [w[j] ^ w[j + 4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        ss1 = _rotl((_rotl(a, 12) + e + _T[j]) & _MASK, 7)
        ss2 = ss1 ^ _rotl(a, 12)
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & _MASK
        tt2 = (gg + h + ss1 + w[j]) & _MASK
        a, b, c, d = tt1, a, _rotl(b, 9), c
        e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
    return [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True)]


def sm3_hex(data: bytes) -> str:
    """SM3 digest of `data` as lowercase hex (pure Python)."""
    length = len(data) * 8
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack(">Q", length)
    v = list(_IV)
    for offset in range(0, len(padded), 64):
        v = _compress(v, padded[offset:offset + 64])
    return "".join(f"{x:08x}" for x in v)
