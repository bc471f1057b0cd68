"""Check a published draw transcript: `python -m jianguan.spotchecks.verify TRANSCRIPT.json`.

Recomputes the commitment from the transcript's inputs, the seed from the commitment and the beacon value, the
objects and inspectors drawn, and every replacement in order, with nothing but the standard library and
`jianguan.spotchecks.protocol` (no Django, no database), so that anyone holding the file can run it. Prints `OK`
and exits 0 (for a public form, `OK` and what it covered: for the blinded one of a draw by credit-risk classes,
only the form and the seed), or prints the first difference and exits 1 (`--all` prints every difference). Exit
status 2 means the file could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from jianguan.spotchecks import protocol


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON parsers disagree on which of two equal keys wins; a transcript that has them means two things."""
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"duplicate key {key!r}")
        document[key] = value
    return document


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load(text: str) -> Any:
    """Parse a transcript strictly: duplicate keys, NaN and Infinity are refused."""
    return json.loads(text, object_pairs_hook=_object_without_duplicates, parse_constant=_no_constants)


def _ok(transcript: Any) -> str:
    """What a transcript that verified was checked for."""
    if not protocol.is_public_form(transcript):
        return "OK"
    if transcript["form"] == protocol.PUBLIC_BLINDED_FORM:
        return ("OK (blinded public form: the form of every field and the seed from commitment and beacon_value "
                "recomputed; the strata are credit-risk classes and not published, so the commitment and the "
                "selection per stratum are verified with the full transcript by an authorised auditor)")
    return ("OK (public form: commitment, seed and the objects drawn recomputed; the inspectors and excluded "
            "pairs are committed by their hashes, and their assignment is checked on the full transcript)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jianguan.spotchecks.verify",
                                     description=f"Recompute a {protocol.PROTOCOL} draw transcript.")
    parser.add_argument("transcript", help="the transcript, a JSON file")
    parser.add_argument("--all", action="store_true", help="print every difference, not only the first")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="processes to hash with (default: one per CPU; the answer is the same)")
    args = parser.parse_args(argv)
    try:
        with open(args.transcript, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {args.transcript}: {error}", file=sys.stderr)
        return 2
    try:
        transcript = load(text)
    except ValueError as error:
        print(f"transcript malformed: not valid JSON ({error})")
        return 1
    problems = protocol.verify(transcript, workers=args.workers)
    if not problems:
        print(_ok(transcript))
        return 0
    for problem in problems if args.all else problems[:1]:
        print(problem)
    return 1


if __name__ == "__main__":
    sys.exit(main())
