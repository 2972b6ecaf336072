"""A `text/event-stream` parser (the WHATWG event-stream format, as OpenAI streams use it).

Fields: `event:`, `data:` (several lines join with "\n"), `id:`, `retry:`; lines starting with ':'
are comments. An event is dispatched at a blank line; a trailing event without its blank line is a
cut stream. `data: [DONE]` is the terminal marker of chat-style streams.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from collections.abc import Iterable

DONE = "[DONE]"
DEFAULT_TERMINALS = (DONE, "response.completed", "response.incomplete", "response.failed")


class StreamError(Exception):
    """The stream is not a complete, well-formed event stream: a failed sample."""


@dataclass
class Event:
    event: str
    data: object  # parsed JSON, or the raw text when it is not JSON


@dataclass
class Stream:
    events: list[Event] = field(default_factory=list)
    done: bool = False  # saw data: [DONE]


def _name(sse_event: str | None, data: object) -> str:
    if sse_event:
        return sse_event
    if isinstance(data, dict) and isinstance(data.get("type"), str):
        return data["type"]
    return "message"


def parse_lines(lines: Iterable[str]) -> Stream:
    """Parse decoded lines (without their line endings). Raises StreamError on a cut stream."""
    out = Stream()
    event: str | None = None
    data: list[str] = []
    pending = False
    for line in lines:
        if out.done and line.strip():
            raise StreamError("data after [DONE]")
        if line == "":
            if data:
                text = "\n".join(data)
                if text == DONE:
                    out.done = True
                else:
                    try:
                        value: object = json.loads(text)
                    except ValueError:
                        value = text
                    except RecursionError:
                        raise StreamError("event data nested too deeply") from None
                    out.events.append(Event(_name(event, value), value))
            event, data, pending = None, [], False
            continue
        if line.startswith(":"):
            continue
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        pending = True
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
        # id, retry and unknown fields are ignored, as the format says
    if pending:
        raise StreamError("stream ended in the middle of an event (no blank line after it)")
    return out


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or CR, as the format allows; a final line ending yields no extra line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_text(text: str, terminals: Iterable[str] | None = DEFAULT_TERMINALS) -> Stream:
    """Parse a whole stream body; with `terminals`, one of them must end the stream."""
    stream = parse_lines(split_lines(text))
    if not text.endswith(("\n\n", "\r\n\r\n", "\r\r")) and text.strip():
        raise StreamError("stream ended in the middle of an event (no blank line after it)")
    check_terminal(stream, terminals)
    return stream


def check_terminal(stream: Stream, terminals: Iterable[str] | None) -> None:
    if terminals is None:
        return
    terminals = tuple(terminals)
    if not terminals or stream.done:
        return
    if stream.events and stream.events[-1].event in terminals:
        return
    last = stream.events[-1].event if stream.events else "nothing"
    raise StreamError(f"stream ended without its terminal event ({', '.join(terminals)}); last was {last}")


def render(events: Iterable[tuple[str, object]], done: bool) -> Iterable[bytes]:
    """The inverse, for the mock server: one chunk per event."""
    for name, data in events:
        text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
        head = "" if name == "message" else f"event: {name}\n"
        body = "".join(f"data: {part}\n" for part in text.split("\n"))
        yield (head + body + "\n").encode("utf-8")
    if done:
        yield f"data: {DONE}\n\n".encode()
