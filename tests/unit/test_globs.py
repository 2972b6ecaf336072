"""Policy globs: `*` stays within a segment, `**` crosses `/` (apicompat.globs)."""

from __future__ import annotations

import time

import pytest

from apicompat.globs import glob_match


@pytest.mark.parametrize("pattern, text, expected", [
    ("GET /jobs*", "GET /jobs", True),
    ("GET /jobs*", "GET /jobs-archive", True),
    ("GET /jobs*", "GET /jobs/{id}", False),
    ("GET /jobs*", "GET /jobs/{id}/cancel", False),
    ("GET /jobs/*", "GET /jobs/{id}", True),
    ("GET /jobs/*", "GET /jobs/{id}/cancel", False),
    ("GET /jobs/**", "GET /jobs/{id}/cancel", True),
    ("GET /jobs/**", "GET /jobs", False),
    ("GET /jobs**", "GET /jobs/{id}/cancel", True),
    ("* /jobs", "DELETE /jobs", True),
    ("* /jobs", "GET /v1/jobs", False),
    ("*", "", True),
    ("**", "a/b/c", True),
    ("#/components/schemas/*/properties/token", "#/components/schemas/Job/properties/token", True),
    ("#/components/schemas/*/properties/token", "#/components/schemas/Job/properties/x/properties/token", False),
    ("#/components/schemas/**/token", "#/components/schemas/Job/properties/x/properties/token", True),
    ("#/components/schemas/Job/**", "#/components/schemas/Job/properties/legacy_score", True),
    ("#/components/schemas/Job/*", "#/components/schemas/Job/properties/legacy_score", False),
    ("GET /jobs/?", "GET /jobs/1", True),
    ("GET /jobs/?", "GET /jobs//", False),
    ("GET /v[12]/jobs", "GET /v2/jobs", True),
    ("GET /v[!12]/jobs", "GET /v2/jobs", False),
    ("GET /v[!12]/jobs", "GET /v3/jobs", True),
    ("GET /[a-c]*", "GET /beta", True),
    ("GET /[a-c]*", "GET /delta", False),
    ("GET /x[", "GET /x[", True),  # an unclosed set is literal
    ("get /jobs", "GET /jobs", False),  # case-sensitive
    ("GET /jobs/{id}", "GET /jobs/{id}", True),
])
def test_glob_match(pattern, text, expected):
    assert glob_match(pattern, text) is expected


def test_no_backtracking_blow_up():
    """A pattern that makes a backtracking matcher exponential is linear here."""
    pattern = "*a" * 30 + "b"
    text = "a" * 5000
    start = time.perf_counter()
    assert not glob_match(pattern, text)
    assert not glob_match("**a" * 30 + "b", text)
    assert time.perf_counter() - start < 2.0
