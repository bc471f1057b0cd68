"""Quality inspection (质检) of exchange records against a standard, and the SAMR seven-dimension score.

    verdicts = engine.check("行政检查行为", records, refs=LibraryRefs())   # one Verdict per record, in input order
    scoring.score("inspection", verdicts)                                 # {"completeness": 99.5, …}
    reference.check_record(standard, record)  /  sources.check_file(standard, path)  /  sources.check_table(…)

The modules: `reference` (the rules applied record by record, the definition; `Verdict`, `Refs`, `MemoryRefs`),
`proofs` (tests that settle a whole column in a few C-level passes), `columns` (one field's column: its proof, then
its rules for the values left), `engine` (a batch column by column: `check`, `forget`), `scoring` (`score`) and
`sources` (a file, or behaviour-library rows, as records to check).

Records are dicts keyed by ascii field ids or Chinese titles (or both). `check_reference` applies the rules
record by record in plain code: it is the definition. `check` gives the same answer column by column: records
are taken in chunks (transposed at once when they share their keys), and each field's column is first offered to
a proof — a set of values known to pass every rule of the field (dictionary codes, values the field passed
before, check characters computed before), or one regular expression over the newline-joined column — which
settles most values in a pass or two at C speed; only the values it cannot prove go through the field's rules,
each rule again over the whole remaining column. Record rules judge distinct combinations, references are looked
up once per batch, and an Issue is built only for a value that breaks a rule. tests/exchange/test_quality.py holds the
engine to the reference on random records.

Rule order inside a record: field rules in field order (the first rule a value breaks is its only issue), then
record rules (cross-field, references), then duplicates, then unknown columns (sorted by name).
"""
