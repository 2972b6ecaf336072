"""The semantic oracle behind the differ's verdicts (issue 9, item 5).

A verdict is right when it follows from what the two schemas accept. This package generates
instances of JSON Schemas (near the boundaries where a change bites, and at random), validates them
with python-jsonschema against the old and the new schema, and judges whether the differ's verdict
keeps the promise POLICY.md attaches to it:

- `dialect`: the flavours we diff (2020-12, OpenAPI 3.0, draft-07) and their translation into what
  jsonschema validates;
- `instances`: the candidate instances of a schema;
- `schemas`: random schemas and named mutations of a schema;
- `corpus`: standalone schemas cut from the real OpenAI and Stripe components;
- `judge`: the promises, their exceptions, and the judgement of one (old, new, direction) check;
- `minimise`: shrinking a counterexample to a minimal pair.

Everything is a plain function of a `random.Random`: hypothesis draws the seeds in
tests/unit/test_oracle.py, and benchmarks/oracle_campaign.py calls the same functions in a loop.
"""
