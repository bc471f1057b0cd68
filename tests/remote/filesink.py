"""A sink for the command's test: appends each delivery's channel and device to the file named by
`REMOTE_TEST_SINK_FILE` and takes every reading in."""

from __future__ import annotations

import os

from jianguan.remote.wire import Delivery, Outcome


def accept(delivery: Delivery) -> Outcome:
    with open(os.environ["REMOTE_TEST_SINK_FILE"], "a", encoding="utf-8") as out:
        out.write(f"{delivery.channel} {delivery.device} {len(delivery.readings)}\n")
    return Outcome(known=True, accepted=len(delivery.readings))
