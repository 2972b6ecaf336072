"""A parsed ECMA-262 pattern written back in the syntax of a matching engine, keeping ECMA's meaning.

Python's `re` reads `\\d`, `\\w`, `\\s`, `.`, `$` and `\\b` differently from ECMA-262 (Unicode digits,
a `$` that matches before a final newline, ...), so nothing is passed through as written: every
character set becomes an explicit class, `^`/`$` become start/end of text, and `\\b` is spelled with
ASCII word characters. Two flavours: "re2" (google-re2: `\\x{...}` escapes, `\\z`) and "python" (the
`regex` module, which also takes lookaround and backreferences).
"""

from __future__ import annotations

from .syntax import (ANY, WORD, Alt, Anchor, BackRef, Chars, Group, Look, Repeat, Seq, WordBoundary,
                     negate)


class Unrenderable(ValueError):
    """The flavour has no spelling for this construct (RE2: lookaround, backreferences)."""


def _escape(code: int, flavour: str) -> str:
    c = chr(code)
    if c.isascii() and c.isalnum():
        return c
    if flavour == "re2":
        return f"\\x{{{code:X}}}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _class(ranges, flavour: str) -> str:
    if ranges == ANY:
        return "[\\s\\S]"
    if not ranges:
        return "[^\\s\\S]"
    complement = negate(ranges)
    negated = len(complement) < len(ranges)
    parts = []
    for lo, hi in complement if negated else ranges:
        if lo == hi:
            parts.append(_escape(lo, flavour))
        else:
            parts.append(f"{_escape(lo, flavour)}-{_escape(hi, flavour)}")
    if not negated and len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return parts[0]
    return "[" + ("^" if negated else "") + "".join(parts) + "]"


def render(node, flavour: str = "python") -> str:
    """The node in the flavour's syntax. Raises Unrenderable."""
    if isinstance(node, Chars):
        return _class(node.ranges, flavour)
    if isinstance(node, Seq):
        return "".join(_atomic(i, flavour, in_seq=True) for i in node.items)
    if isinstance(node, Alt):
        return "|".join(render(o, flavour) for o in node.options)
    if isinstance(node, Group):
        return f"({render(node.item, flavour)})"  # numbered like the original; names are not needed
    if isinstance(node, Repeat):
        if node.max is None:
            q = {0: "*", 1: "+"}.get(node.min, f"{{{node.min},}}")
        elif node.min == node.max:
            q = f"{{{node.min}}}"
        elif node.min == 0 and node.max == 1:
            q = "?"
        else:
            q = f"{{{node.min},{node.max}}}"
        return _atomic(node.item, flavour) + q + ("?" if node.lazy else "")
    if isinstance(node, Anchor):
        if node.kind == "start":
            return "\\A"
        return "\\z" if flavour == "re2" else "\\Z"
    if isinstance(node, WordBoundary):
        if flavour == "re2":
            return "\\B" if node.negated else "\\b"  # RE2's \b is ASCII, as ECMA-262's is
        w = _class(WORD, flavour)
        if node.negated:
            return f"(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"
        return f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"
    if flavour == "re2":
        raise Unrenderable("RE2 has no lookaround or backreferences")
    if isinstance(node, Look):
        kind = ("(?<" if node.behind else "(?") + ("!" if node.negated else "=")
        return f"{kind}{render(node.item, flavour)})"
    if isinstance(node, BackRef):  # the parser numbers named references too
        return f"(?:\\{node.ref})"
    raise Unrenderable(type(node).__name__)


def _atomic(node, flavour: str, in_seq: bool = False) -> str:
    """The node as one unit: wrapped unless it is one already (a class, a group)."""
    text = render(node, flavour)
    if isinstance(node, (Chars, Group)) or (in_seq and not isinstance(node, Alt)):
        return text
    return f"(?:{text})"


