"""Matching recorded requests to path templates takes linear time, whatever the template: parameters
side by side in one segment made Python's backtracking engine exponential in their number."""

import time

from apicompat.openapi.match import match_template

OPS = [("GET", "/x/" + "".join("{p%d}" % i for i in range(12)) + "/y"),
       ("GET", "/x/" + ".".join("{q%d}" % i for i in range(12)) + "/z")]


def test_adjacent_parameters_on_a_long_segment_answer_at_once():
    start = time.process_time()
    for path in ("/x/" + "a" * 4000 + "/q", "/x/" + "a." * 2000 + "/q", "/x/" + "a" * 4000 + "/y!"):
        assert match_template("GET", path, OPS, [""]) is None
    assert time.process_time() - start < 1.0


def test_adjacent_parameters_still_match_what_they_should():
    assert match_template("GET", "/x/" + "b" * 12 + "/y", OPS, [""]) == OPS[0]
    assert match_template("GET", "/x/" + ".".join("c" * 12) + "/z", OPS, [""]) == OPS[1]
    assert match_template("GET", "/x/" + "b" * 11 + "/y", OPS, [""]) is None
