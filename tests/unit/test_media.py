"""Media types paired by type and parameters (apicompat.openapi.media)."""

from __future__ import annotations

import time

from apicompat.openapi.media import describe_parameters, pair_media, parameters


def test_parameters_are_read_as_meant():
    assert parameters('Text/CSV; Charset="UTF-8"; header=present') == (("charset", "utf-8"), ("header", "present"))
    assert parameters("application/json; charset=utf-8") == ()  # JSON is UTF-8 (RFC 8259)
    assert parameters("application/vnd.api+json; charset=UTF-8; ext=x") == (("ext", "x"),)
    assert parameters("application/json; charset=iso-8859-1") == (("charset", "iso-8859-1"),)
    assert parameters("text/plain; charset=utf-8") == (("charset", "utf-8"),)  # text/* defaults to US-ASCII
    assert parameters("text/event-stream; charset=utf-8") == ()  # always decoded as UTF-8 (HTML standard)
    assert parameters("application/json; profile=A") != parameters("application/json; profile=a")
    assert describe_parameters("text/plain") == "no parameters"


def test_equal_types_pair_first_then_what_is_left_of_one_type():
    p = pair_media(["a/b; v=1", "a/b; v=2", "c/d"], ["a/b; v=2", "a/b; v=3", "e/f"])
    assert p.same == [("a/b; v=2", "a/b; v=2")]
    assert p.reparametrised == [("a/b; v=1", "a/b; v=3")]
    assert p.removed == ["c/d"] and p.added == ["e/f"] and p.covered == []


def test_duplicates_as_meant_pair_with_one_new_type():
    p = pair_media(["application/json", "application/json; charset=utf-8"], ["Application/JSON"])
    assert p.same == [("application/json", "Application/JSON"), ("application/json; charset=utf-8", "Application/JSON")]
    assert p.added == [] and p.removed == []


def test_a_key_with_fewer_parameters_covers_a_request_type_the_most_specific_first():
    new = ["text/plain", "text/plain; charset=utf-8", "text/plain; charset=utf-8; format=flowed; x=1"]
    p = pair_media(["text/plain; charset=utf-8; format=flowed"], new, covering=True)
    assert p.covered == [("text/plain; charset=utf-8; format=flowed", "text/plain; charset=utf-8")]
    assert p.added == ["text/plain", "text/plain; charset=utf-8; format=flowed; x=1"]
    assert pair_media(["text/plain; charset=utf-8"], ["text/plain"]).reparametrised == [
        ("text/plain; charset=utf-8", "text/plain")]  # where the server sends it: another type


def test_ranges_are_matched_by_the_range_alone():
    p = pair_media(["application/*; q=0.5"], ["application/*"], covering=True)
    assert p.same == [("application/*; q=0.5", "application/*")]


def test_a_hostile_number_of_types_and_parameters_stays_fast():
    many = "; ".join(f"p{i}=v" for i in range(300))
    old = [f"a/b; n={i}; {many}" for i in range(2000)]
    new = [f"a/b; n={i}; m=1" for i in range(2000)]
    start = time.monotonic()
    p = pair_media(old, new, covering=True)
    assert time.monotonic() - start < 5
    assert len(p.reparametrised) == 2000
