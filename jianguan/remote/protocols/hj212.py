"""HJ 212-2017 (污染物在线监控（监测）系统数据传输标准): packets parsed, built and answered.

A packet is `##` + the data segment's length (4 decimal digits) + the data segment (ASCII, at most 1,024 characters)
+ its CRC (4 hex digits) + `\\r\\n` (HJ 212-2017 6.3). The data segment is `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;
[PNUM=…;PNO=…;]CP=&&…&&` (6.3.2): in `CP`, `DataTime=yyyyMMddHHmmss` and per factor `<code>-Rtd`, `-Avg`, `-Min`,
`-Max`, `-Cou` and `-Flag`, pairs separated by `,` within a factor and `;` between factors.

Readings: `-Rtd` and `-Avg` are the factor's value (`code` is the factor, e.g. `w01018`); `-Min`, `-Max` and `-Cou`
keep their statistic in the code (`w01018-Min`), so that one (device, time, code) names one value. The period comes
from the command: 2011 实时 `rtd`, 2051 分钟 `min`, 2061 小时 `hour`, 2031 日 `day`.

Nothing here raises on bad input: `split` and `parse` return a `Malformed` value with an English code and a Chinese
message. Pure Python: the receivers and the device simulator use it without Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from jianguan.remote.wire import Delivery, Period, ReadingIn

HEADER = b"##"
END = b"\r\n"
MAX_SEGMENT = 1024  # HJ 212-2017 6.3.1: 数据段 0–1024 个字符
MAX_FRAME = len(HEADER) + 4 + MAX_SEGMENT + 4 + len(END)
# DataTime and QN are the device's local time; the standard's devices keep 北京时间.
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

PERIODS: dict[str, Period] = {"2011": "rtd", "2051": "min", "2061": "hour", "2031": "day"}
CN_REQUEST_ANSWER = "9011"  # 请求应答
CN_DATA_ANSWER = "9014"  # 数据应答
ST_SYSTEM = "91"  # 系统交互
# Flag = V5..V0 D A (HJ 212-2017 6.3.3 表 4): A = 1 answer required, D = 1 split packet (PNUM/PNO follow); V = 1 the
# 2017 version of the protocol.
FLAG_ANSWER = 0b01
FLAG_SPLIT = 0b10
FLAG_2017 = 1 << 2

# QnRtn (HJ 212-2017 表 5): 1 准备执行请求, 3 PW 错误, 4 MN 错误, 5 ST 错误, 6 Flag 错误, 7 QN 错误, 8 CN 错误,
# 9 CRC 校验错误, 100 未知错误.
QN_READY, QN_PW, QN_MN, QN_ST, QN_FLAG, QN_QN, QN_CN, QN_CRC, QN_UNKNOWN = 1, 3, 4, 5, 6, 7, 8, 9, 100
QN_RETURNS = {"crc_mismatch": QN_CRC, "bad_qn": QN_QN, "bad_st": QN_ST, "bad_cn": QN_CN, "unsupported_command": QN_CN,
              "bad_flag": QN_FLAG, "bad_mn": QN_MN, "bad_pw": QN_PW}

VALUE_SUFFIXES = {"Rtd": "", "Avg": "", "Min": "-Min", "Max": "-Max", "Cou": "-Cou"}
_CODE = re.compile(r"[A-Za-z0-9]{1,16}\Z")
_MN = re.compile(r"[A-Za-z0-9]{1,24}\Z")
_PW = re.compile(r"[\x21-\x7e]{1,32}\Z")
_QN = re.compile(r"\d{17}\Z")
_ST = re.compile(r"\d{2}\Z")
_CN = re.compile(r"\d{4}\Z")
_FLAG = re.compile(r"\d{1,3}\Z")
_DIGITS = re.compile(rb"\d{4}\Z")
_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def _shifted(value: int) -> int:
    for _ in range(8):
        value = (value >> 1) ^ 0xA001 if value & 1 else value >> 1
    return value


# After `(reg >> 8) ^ byte` the register holds 8 bits, so the eight shifts are one look-up.
_TABLE = tuple(_shifted(value) for value in range(256))


def crc16(data: bytes) -> int:
    """The CRC of HJ 212-2017 附录 A: register 0xFFFF; per byte, the register's high byte XOR the byte; then eight
    shifts right, XOR 0xA001 when the bit shifted out was 1. (Not CRC-16/MODBUS, which XORs the low byte.)"""
    reg = 0xFFFF
    table = _TABLE
    for byte in data:
        reg = table[(reg >> 8) ^ byte]
    return reg


@dataclass(frozen=True, slots=True)
class Malformed:
    """A frame or data segment refused: `code` in English (crc_mismatch, length_mismatch, too_long, bad_length,
    no_header, bad_encoding, missing_field, bad_field, bad_qn, bad_st, bad_cn, bad_flag, bad_mn, bad_pw, bad_time,
    bad_value), `message` in Chinese; `qn`, `mn`, `flag` when they could be read, for the answer."""

    code: str
    message: str
    raw: bytes
    qn: str = ""
    mn: str = ""
    pw: str = ""
    flag: int = 0

    @property
    def qn_rtn(self) -> int:
        return QN_RETURNS.get(self.code, QN_UNKNOWN)


@dataclass(frozen=True, slots=True)
class Packet:
    """A checked data segment: the header fields and CP's pairs in order."""

    qn: str
    st: str
    cn: str
    pw: str
    mn: str
    flag: int
    cp: tuple[tuple[str, str], ...]
    raw: bytes
    pnum: int | None = None
    pno: int | None = None

    @property
    def answer_required(self) -> bool:
        return bool(self.flag & FLAG_ANSWER)

    def value(self, key: str) -> str | None:
        return next((v for k, v in self.cp if k == key), None)


# ---- framing -------------------------------------------------------------------------------------------------


class Splitter:
    """Cuts a byte stream into frames: `feed` returns each complete frame (bytes, from `##` to `\\r\\n`) or a
    `Malformed` for what could not be one; a frame split over reads waits for its rest. `oversize` turns True once a
    frame announced more than `MAX_SEGMENT` characters (the connection should be closed)."""

    def __init__(self) -> None:
        self._buffer = b""
        self.oversize = False

    def feed(self, data: bytes) -> list[bytes | Malformed]:
        self._buffer += data
        out: list[bytes | Malformed] = []
        while self._buffer and not self.oversize:
            item = self._next()
            if item is None:
                break
            out.append(item)
        return out

    def _next(self) -> bytes | Malformed | None:
        buf = self._buffer
        start = buf.find(HEADER)
        while start >= 0 and buf[start + 2:start + 3] == b"#":  # "###…": the header is the last two
            start += 1
        if start < 0:  # keep a last "#": it may begin the next header
            cut = len(buf) - 1 if buf.endswith(b"#") else len(buf)
            self._buffer = buf[cut:]
            return Malformed("no_header", "数据不以包头 ## 开始，已丢弃", buf[:cut]) if cut else None
        if start > 0:
            self._buffer = buf[start:]
            return Malformed("no_header", "数据不以包头 ## 开始，已丢弃", buf[:start])
        if len(buf) < 6:
            return None
        if not _DIGITS.match(buf[2:6]):  # drop up to the next header
            cut = buf.find(HEADER, 2)
            cut = cut if cut >= 0 else len(buf) - (1 if buf.endswith(b"#") else 0)
            self._buffer = buf[cut:]
            return Malformed("bad_length", "包头后的数据段长度须为 4 位十进制数字", buf[:cut])
        length = int(buf[2:6])
        if length > MAX_SEGMENT:
            self.oversize = True
            self._buffer = b""
            return Malformed("too_long", f"数据段长度 {length} 超过标准上限 {MAX_SEGMENT} 个字符", buf[:6])
        end = 6 + length + 4
        crlf = buf.find(END, 6)
        if 0 <= crlf < end:  # the segment cannot hold CR LF: the announced length is wrong
            self._buffer = buf[crlf + 2:]
            return Malformed("length_mismatch", f"数据段长度与包头声明的 {length} 不符", buf[:crlf + 2])
        if len(buf) < end + 2:
            return None
        if buf[end:end + 2] != END:  # drop up to its own CR LF or the next header, whichever comes first
            cuts = [i for i in (crlf + 2 if crlf >= 0 else -1, buf.find(HEADER, 2)) if i >= 0]
            cut = min(cuts) if cuts else len(buf)
            self._buffer = buf[cut:]
            return Malformed("length_mismatch", f"数据段长度与包头声明的 {length} 不符（包尾不是回车换行）", buf[:cut])
        frame, self._buffer = buf[:end + 2], buf[end + 2:]
        return frame


# ---- parsing -------------------------------------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code, self.message = code, message


def parse(frame: bytes) -> Packet | Malformed:
    """Check one whole frame (length, CRC) and read its data segment."""
    if len(frame) > MAX_FRAME:
        return Malformed("too_long", f"报文超过标准上限 {MAX_FRAME} 字节", frame[:MAX_FRAME])
    if not frame.startswith(HEADER) or not frame.endswith(END) or len(frame) < 12:
        return Malformed("bad_frame", "报文须为 ## + 长度 + 数据段 + CRC + 回车换行", frame)
    if not _DIGITS.match(frame[2:6]):
        return Malformed("bad_length", "包头后的数据段长度须为 4 位十进制数字", frame)
    segment, crc = frame[6:-6], frame[-6:-2]
    if int(frame[2:6]) != len(segment):
        return Malformed("length_mismatch", f"数据段长度 {len(segment)} 与包头声明的 {int(frame[2:6])} 不符", frame)
    try:
        text = segment.decode("ascii")
    except UnicodeDecodeError:
        return Malformed("bad_encoding", "数据段须为 ASCII 字符", frame)
    if f"{crc16(segment):04X}" != crc.decode("ascii", "replace").upper():
        return _guessed("crc_mismatch", "CRC 校验错误", frame, text)
    try:
        return _packet(text, frame)
    except _Bad as bad:
        return _guessed(bad.code, bad.message, frame, text)


def _guessed(code: str, message: str, frame: bytes, text: str) -> Malformed:
    """A Malformed with the QN, MN, PW and Flag read as far as they can be, for the answer."""
    head = text.split("CP=", 1)[0]
    fields = dict(part.split("=", 1) for part in head.split(";") if "=" in part)
    flag = fields.get("Flag", "0")
    return Malformed(code, message, frame, qn=fields.get("QN", ""), mn=fields.get("MN", ""), pw=fields.get("PW", ""),
                     flag=int(flag) if flag.isdigit() and len(flag) <= 3 else 0)


def _packet(text: str, frame: bytes) -> Packet:
    head, sep, rest = text.partition("CP=&&")
    if not sep or not rest.endswith("&&"):
        raise _Bad("missing_field", "缺少指令参数 CP=&&…&&")
    fields: dict[str, str] = {}
    for part in head.rstrip(";").split(";"):
        key, eq, value = part.partition("=")
        if not eq or key in fields:
            raise _Bad("bad_field", f"数据段字段“{part[:40]}”须为唯一的 名称=值")
        fields[key] = value
    for key in ("QN", "ST", "CN", "PW", "MN"):
        if key not in fields:
            raise _Bad("missing_field", f"数据段缺少字段 {key}")
    _check(_QN, fields["QN"], "bad_qn", "QN 须为 17 位数字的请求编码（yyyyMMddHHmmssZZZ）")
    _check(_ST, fields["ST"], "bad_st", "ST 须为 2 位数字的系统编码")
    _check(_CN, fields["CN"], "bad_cn", "CN 须为 4 位数字的命令编码")
    _check(_PW, fields["PW"], "bad_pw", "PW 须为 1–32 个可见字符的访问密码")
    _check(_MN, fields["MN"], "bad_mn", "MN 须为 1–24 位字母数字的设备唯一标识")
    _check(_FLAG, fields.get("Flag", "0"), "bad_flag", "Flag 须为 0–255 的整数")
    flag = int(fields.get("Flag", "0"))
    if flag > 255:
        raise _Bad("bad_flag", "Flag 须为 0–255 的整数")
    pnum, pno = _split_numbers(fields, flag)
    return Packet(qn=fields["QN"], st=fields["ST"], cn=fields["CN"], pw=fields["PW"], mn=fields["MN"], flag=flag,
                  cp=_cp_pairs(rest[:-2]), raw=frame, pnum=pnum, pno=pno)


def _check(pattern: re.Pattern[str], value: str, code: str, message: str) -> None:
    if not pattern.match(value):
        raise _Bad(code, message)


def _split_numbers(fields: dict[str, str], flag: int) -> tuple[int | None, int | None]:
    if not flag & FLAG_SPLIT:
        return None, None
    pnum, pno = fields.get("PNUM", ""), fields.get("PNO", "")
    if not (pnum.isdigit() and pno.isdigit() and 1 <= int(pno) <= int(pnum) <= 9999):
        raise _Bad("bad_field", "拆分包（Flag 的 D 位为 1）须有 PNUM 总包数与 PNO 包号，且 1 ≤ PNO ≤ PNUM")
    return int(pnum), int(pno)


def _cp_pairs(body: str) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for group in body.split(";"):
        for part in group.split(","):
            if not part:
                continue
            key, eq, value = part.partition("=")
            if not eq or not key:
                raise _Bad("bad_field", f"CP 中的“{part[:40]}”须为 名称=值")
            pairs.append((key, value))
    return tuple(pairs)


def parse_time(text: str, tz: timezone = CHINA) -> datetime:
    """`yyyyMMddHHmmss` (DataTime) or `yyyyMMddHHmmssZZZ` (QN) in the device's zone."""
    if not text.isdigit() or len(text) not in (14, 17):
        raise _Bad("bad_time", f"时间“{text[:20]}”须为 yyyyMMddHHmmss")
    try:  # slicing, not strptime: this runs twice per frame
        at = datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]),
                      int(text[12:14]), int(text[14:] or 0) * 1000, tzinfo=tz)
    except ValueError:
        raise _Bad("bad_time", f"时间“{text}”不是有效的日期时间") from None
    return at


# ---- readings ------------------------------------------------------------------------------------------------


def delivery(packet: Packet, tz: timezone = CHINA) -> Delivery | Malformed:
    """The readings of a data upload (CN 2011, 2051, 2061, 2031) as a Delivery; a Malformed for bad times or values
    and for commands that carry no data."""
    period = PERIODS.get(packet.cn)
    if period is None:
        return _of(packet, "unsupported_command", f"不受理的命令编码 CN={packet.cn}")
    try:
        data_time = packet.value("DataTime")
        if data_time is None:
            raise _Bad("missing_field", "数据上传的 CP 须有 DataTime")
        at = parse_time(data_time, tz)
        readings = _readings(packet.cp, at, period)
        sent_at = parse_time(packet.qn, tz)
    except _Bad as bad:
        return _of(packet, bad.code, bad.message)
    return Delivery(channel="hj212", device=packet.mn, readings=readings, raw=packet.raw, password=packet.pw,
                    sent_at=sent_at)


def _of(packet: Packet, code: str, message: str) -> Malformed:
    return Malformed(code, message, packet.raw, qn=packet.qn, mn=packet.mn, pw=packet.pw, flag=packet.flag)


def _readings(cp: tuple[tuple[str, str], ...], at: datetime, period: Period) -> tuple[ReadingIn, ...]:
    flags: dict[str, str] = {}
    values: list[tuple[str, str, Decimal | None]] = []
    for key, text in cp:
        factor, dash, suffix = key.rpartition("-")
        if not dash:
            continue
        if not _CODE.match(factor):
            raise _Bad("bad_field", f"污染物编码“{factor[:20]}”须为 1–16 位字母数字")
        if suffix == "Flag":
            if len(text) != 1 or not text.isalpha():
                raise _Bad("bad_field", f"{key} 须为一个字母的数据标记（N、F、M、S、D、C、T、B）")
            flags[factor] = text
        elif suffix in VALUE_SUFFIXES:
            values.append((factor, factor + VALUE_SUFFIXES[suffix], _decimal(key, text)))
    return tuple(ReadingIn(code=code, at=at, value=value, period=period, flag=flags.get(factor, "N"))
                 for factor, code, value in values)


def _decimal(key: str, text: str) -> Decimal | None:
    if not text:
        return None
    if not _NUMBER.match(text):
        raise _Bad("bad_value", f"{key} 的值“{text[:20]}”须为十进制数")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise _Bad("bad_value", f"{key} 的值“{text[:20]}”须为十进制数") from None


# ---- building ------------------------------------------------------------------------------------------------


def frame(segment: str) -> bytes:
    """Wrap a data segment into a packet: header, length, segment, CRC, CR LF."""
    data = segment.encode("ascii")
    if len(data) > MAX_SEGMENT:
        raise ValueError(f"data segment of {len(data)} characters exceeds {MAX_SEGMENT}")
    return b"##%04d%s%04X\r\n" % (len(data), data, crc16(data))


def segment(*, qn: str, st: str, cn: str, pw: str, mn: str, flag: int, cp: str) -> str:
    return f"QN={qn};ST={st};CN={cn};PW={pw};MN={mn};Flag={flag};CP=&&{cp}&&"


def qn_of(at: datetime, tz: timezone = CHINA) -> str:
    local = at.astimezone(tz)
    return local.strftime("%Y%m%d%H%M%S") + f"{local.microsecond // 1000:03d}"


def data_cp(at: datetime, values: dict[str, tuple[Decimal | None, str]], tz: timezone = CHINA,
            suffix: str = "Rtd") -> str:
    """CP of a data upload: DataTime then `<code>-<suffix>=value,<code>-Flag=flag` per factor."""
    parts = [f"DataTime={at.astimezone(tz):%Y%m%d%H%M%S}"]
    parts += [f"{code}-{suffix}={'' if value is None else value},{code}-Flag={flag}"
              for code, (value, flag) in values.items()]
    return ";".join(parts)


def answer(packet: Packet | Malformed, outcome_rtn: int | None = None) -> bytes | None:
    """The platform's answer when the device asked for one (Flag's A bit): 9014 数据应答 for an accepted data upload,
    9011 请求应答 with `QnRtn` otherwise (`outcome_rtn`, or the Malformed's). None without a readable QN and MN."""
    if not packet.flag & FLAG_ANSWER or not _QN.match(packet.qn) or not _MN.match(packet.mn):
        return None
    pw = packet.pw if _PW.match(packet.pw) else "000000"
    rtn = packet.qn_rtn if isinstance(packet, Malformed) else outcome_rtn
    if rtn is None:
        cn, cp = CN_DATA_ANSWER, ""
    else:
        cn, cp = CN_REQUEST_ANSWER, f"QnRtn={rtn}"
    return frame(segment(qn=packet.qn, st=ST_SYSTEM, cn=cn, pw=pw, mn=packet.mn, flag=FLAG_2017, cp=cp))
