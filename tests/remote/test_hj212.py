"""HJ 212-2017 packets: the standard's examples, the readings of each data command, every malformed case, answers."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal

import pytest

from jianguan.remote.protocols import hj212
from jianguan.remote.wire import Delivery

# HJ 212-2017 附录 A: the standard's own example of a packet and its CRC.
STANDARD_SEGMENT = (b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
                    b"CP=&&RtdInterval=30&&")
STANDARD_FRAME = b"##0101" + STANDARD_SEGMENT + b"1C80\r\n"
MN = "010000A8900016F000169DC0"


def data_frame(cn: str = "2011", cp: str = "DataTime=20160801084000;w01018-Rtd=166.6,w01018-Flag=N",
               flag: int = 5, **fields: str) -> bytes:
    head = {"qn": "20160801085857223", "st": "32", "cn": cn, "pw": "100000", "mn": MN, **fields}
    return hj212.frame(hj212.segment(flag=flag, cp=cp, **head))


def test_crc_is_the_standards_algorithm_not_modbus():
    assert hj212.crc16(STANDARD_SEGMENT) == 0x1C80
    # CRC-16/MODBUS XORs each byte into the register's low byte; the standard XORs it into the high byte.
    assert hj212.crc16(b"1") != 0x2F8D  # CRC-16/MODBUS of "1"


def test_the_standards_example_parses():
    packet = hj212.parse(STANDARD_FRAME)
    assert isinstance(packet, hj212.Packet)
    assert (packet.qn, packet.st, packet.cn, packet.pw, packet.mn, packet.flag) == (
        "20160801085857223", "32", "1062", "100000", MN, 5)
    assert packet.cp == (("RtdInterval", "30"),) and packet.answer_required


def test_building_the_example_gives_the_standards_bytes():
    segment = hj212.segment(qn="20160801085857223", st="32", cn="1062", pw="100000", mn=MN, flag=5,
                            cp="RtdInterval=30")
    assert hj212.frame(segment) == STANDARD_FRAME


def test_real_time_data_becomes_readings_in_beijing_time():
    cp = "DataTime=20160801084000;w01018-Rtd=166.6,w01018-Flag=N;w21003-Rtd=0.050,w21003-Flag=T;w01001-Rtd="
    delivery = hj212.delivery(hj212.parse(data_frame(cp=cp)))
    assert isinstance(delivery, Delivery)
    assert (delivery.channel, delivery.device, delivery.password) == ("hj212", MN, "100000")
    at = datetime(2016, 8, 1, 8, 40, tzinfo=hj212.CHINA)
    assert [(r.code, r.value, r.flag, r.period, r.at) for r in delivery.readings] == [
        ("w01018", Decimal("166.6"), "N", "rtd", at), ("w21003", Decimal("0.050"), "T", "rtd", at),
        ("w01001", None, "N", "rtd", at)]
    assert delivery.sent_at == datetime(2016, 8, 1, 8, 58, 57, 223000, tzinfo=hj212.CHINA)
    assert delivery.readings[0].at.utcoffset().total_seconds() == 8 * 3600


@pytest.mark.parametrize(("cn", "period"), [("2051", "min"), ("2061", "hour"), ("2031", "day")])
def test_statistics_keep_their_kind_in_the_code(cn, period):
    cp = "DataTime=20160801080000;w01018-Avg=40.5,w01018-Min=38.1,w01018-Max=44,w01018-Cou=12.5,w01018-Flag=N"
    delivery = hj212.delivery(hj212.parse(data_frame(cn=cn, cp=cp)))
    assert [(r.code, r.value, r.period) for r in delivery.readings] == [
        ("w01018", Decimal("40.5"), period), ("w01018-Min", Decimal("38.1"), period),
        ("w01018-Max", Decimal("44"), period), ("w01018-Cou", Decimal("12.5"), period)]


def test_split_packets_carry_their_numbers():
    frame = hj212.frame("QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=A1;Flag=7;PNUM=2;PNO=1;"
                        "CP=&&DataTime=20160801084000;a21026-Rtd=1&&")
    packet = hj212.parse(frame)
    assert (packet.pnum, packet.pno) == (2, 1)


def corrupt(frame: bytes, at: int, byte: bytes) -> bytes:
    return frame[:at] + byte + frame[at + 1:]


def with_crc(segment: bytes) -> bytes:
    return b"##%04d%s%04X\r\n" % (len(segment), segment, hj212.crc16(segment))


MALFORMED = {
    "crc_mismatch": corrupt(STANDARD_FRAME, 40, b"9"),
    "length_mismatch": b"##0100" + STANDARD_FRAME[6:],
    "too_long": b"##" + b"1" * 1200 + b"\r\n",
    "bad_length": b"##01a1" + STANDARD_FRAME[6:],
    "bad_frame": STANDARD_FRAME[:-2] + b"\n\n",
    "bad_encoding": with_crc(STANDARD_SEGMENT.replace(b"PW=100000", "PW=密码".encode())),
    "missing_field": with_crc(STANDARD_SEGMENT.replace(b"MN=010000A8900016F000169DC0;", b"")),
    "bad_qn": with_crc(STANDARD_SEGMENT.replace(b"QN=20160801085857223", b"QN=2016")),
    "bad_st": with_crc(STANDARD_SEGMENT.replace(b"ST=32", b"ST=x2")),
    "bad_cn": with_crc(STANDARD_SEGMENT.replace(b"CN=1062", b"CN=10")),
    "bad_flag": with_crc(STANDARD_SEGMENT.replace(b"Flag=5", b"Flag=256")),
    "bad_mn": with_crc(STANDARD_SEGMENT.replace(b"MN=010000A8900016F000169DC0", b"MN=" + b"A" * 25)),
    "bad_pw": with_crc(STANDARD_SEGMENT.replace(b"PW=100000", b"PW=")),
    "bad_field": with_crc(STANDARD_SEGMENT.replace(b"RtdInterval=30", b"RtdInterval")),
}


@pytest.mark.parametrize("code", sorted(MALFORMED))
def test_every_malformed_frame_is_refused_with_its_code(code):
    result = hj212.parse(MALFORMED[code])
    assert isinstance(result, hj212.Malformed)
    assert result.code == code and result.message


@pytest.mark.parametrize(("code", "cn", "cp", "extra"), [
    ("bad_time", "2011", "DataTime=20161301084000;w01018-Rtd=1", {}),
    ("missing_field", "2011", "w01018-Rtd=1", {}),
    ("bad_value", "2011", "DataTime=20160801084000;w01018-Rtd=1e5", {}),
    ("bad_field", "2011", "DataTime=20160801084000;w01018-Flag=NN", {}),
    ("bad_field", "2011", "DataTime=20160801084000;w01#018-Rtd=1", {}),
    ("unsupported_command", "1062", "RtdInterval=30", {}),
])
def test_bad_data_is_refused_before_the_intake(code, cn, cp, extra):
    result = hj212.delivery(hj212.parse(data_frame(cn=cn, cp=cp, **extra)))
    assert isinstance(result, hj212.Malformed) and result.code == code


def test_split_flag_without_numbers_is_refused():
    result = hj212.parse(data_frame(flag=7))
    assert isinstance(result, hj212.Malformed) and result.code == "bad_field"


def test_data_answer_when_the_device_asks():
    reply = hj212.answer(hj212.parse(data_frame()))
    assert reply == hj212.frame(f"QN=20160801085857223;ST=91;CN=9014;PW=100000;MN={MN};Flag=4;CP=&&&&")
    assert hj212.answer(hj212.parse(data_frame(flag=4))) is None


def test_request_answer_names_the_reason():
    reply = hj212.parse(hj212.answer(hj212.parse(MALFORMED["crc_mismatch"])))
    assert (reply.cn, reply.st, reply.qn, reply.mn, reply.value("QnRtn")) == ("9011", "91", "20160801085857223",
                                                                              MN, "9")
    wrong_pw = hj212.parse(hj212.answer(hj212.parse(data_frame()), hj212.QN_PW))
    assert (wrong_pw.cn, wrong_pw.value("QnRtn")) == ("9011", "3")
    unsupported = hj212.parse(hj212.answer(hj212.delivery(hj212.parse(STANDARD_FRAME))))
    assert (unsupported.cn, unsupported.value("QnRtn")) == ("9011", "8")  # CN 1062 is no data upload
    assert hj212.answer(hj212.parse(MALFORMED["too_long"])) is None  # no QN to answer to


def test_splitter_joins_pieces_and_cuts_merged_frames():
    splitter = hj212.Splitter()
    stream = STANDARD_FRAME + data_frame()
    out = [item for byte in range(len(stream)) for item in splitter.feed(stream[byte:byte + 1])]
    assert out == [STANDARD_FRAME, data_frame()]
    assert hj212.Splitter().feed(STANDARD_FRAME * 3) == [STANDARD_FRAME] * 3


def test_splitter_drops_garbage_and_recovers_after_a_wrong_length():
    splitter = hj212.Splitter()
    out = splitter.feed(b"noise#" + b"##0090" + STANDARD_FRAME[6:] + STANDARD_FRAME)
    assert [getattr(item, "code", item) for item in out] == ["no_header", "length_mismatch", STANDARD_FRAME]
    assert splitter.feed(b"##00x1") and splitter.feed(STANDARD_FRAME) == [STANDARD_FRAME]


def test_splitter_stops_at_an_oversize_announcement():
    splitter = hj212.Splitter()
    out = splitter.feed(b"##1025" + b"x" * 100)
    assert [item.code for item in out] == ["too_long"] and splitter.oversize


def test_garbage_never_raises():
    rng = random.Random(212)
    pieces = [STANDARD_FRAME, data_frame(), b"##", b"\r\n", b"&&", b";", b"=", b"-Rtd", b"CP=&&", b"\xff", b"0101"]
    for _ in range(1500):
        blob = b"".join(rng.choice(pieces)[: rng.randint(0, 120)] for _ in range(rng.randint(1, 8)))
        for item in hj212.Splitter().feed(blob):
            parsed = hj212.parse(item) if isinstance(item, bytes) else item
            if isinstance(parsed, hj212.Packet):
                hj212.delivery(parsed)
            hj212.answer(parsed)
