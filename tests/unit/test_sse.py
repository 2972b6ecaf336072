import pytest

from apicompat.record.sse import StreamError, parse_text, render


def test_events_comments_multiline_and_done():
    text = (": keep-alive comment\n"
            "event: response.created\ndata: {\"type\": \"response.created\",\ndata: \"n\": 1}\n\n"
            "data: {\"object\": \"chat.completion.chunk\"}\r\n\r\n"
            "id: 7\nretry: 100\ndata: not json\n\n"
            "data: [DONE]\n\n")
    s = parse_text(text)
    assert [e.event for e in s.events] == ["response.created", "message", "message"]
    assert s.events[0].data == {"type": "response.created", "n": 1}
    assert s.events[2].data == "not json" and s.done


def test_type_names_an_unnamed_event_and_terminal_event_accepted():
    s = parse_text('data: {"type": "a"}\n\nevent: response.completed\ndata: {}\n\n')
    assert [e.event for e in s.events] == ["a", "response.completed"] and not s.done


def test_missing_terminal_is_an_error_unless_not_expected():
    text = 'event: a\ndata: {"x": 1}\n\n'
    with pytest.raises(StreamError, match="terminal"):
        parse_text(text)
    assert len(parse_text(text, None).events) == 1
    assert len(parse_text(text, ("a",)).events) == 1


def test_cut_stream_is_an_error():
    with pytest.raises(StreamError, match="middle of an event"):
        parse_text('event: a\ndata: {"x": 1}\n\nevent: b\ndata: {"y"', None)


def test_render_round_trips():
    chunks = render([("response.created", {"type": "response.created"}), ("message", "a\nb")], True)
    s = parse_text(b"".join(chunks).decode())
    assert [(e.event, e.data) for e in s.events] == [("response.created", {"type": "response.created"}), ("message", "a\nb")]
    assert s.done
