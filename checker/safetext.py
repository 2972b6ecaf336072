"""Text from a spec or a server, made safe to show: names in a hostile document can carry terminal
escapes (ESC, the C1 CSI), bidi overrides that reorder what a reviewer reads, line breaks that
forge extra output lines, and characters XML 1.0 forbids. Every format and error line passes such
values through `printable`; the formats add their own escaping (HTML, Markdown, XML, workflow
commands) on top."""

from __future__ import annotations

import re
import unicodedata

# Control (Cc: C0, DEL, C1), format (Cf: bidi embeddings, overrides and isolates, zero-width and
# other invisible characters), lone surrogates (Cs), and the line/paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Code points XML 1.0 does not allow at all (even as character references).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: object) -> str:
    """`text` with every control, format, surrogate and line-separator character written as a
    visible escape (`\\x1b`, `\\u202e`, `\\n`): one line, shown as it is, never acted on."""
    text = str(text)
    if text.isprintable():  # the usual case: no work
        return text
    return "".join(escape_char(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def xml_safe(text: str) -> str:
    """`text` without the code points XML 1.0 forbids (written as escapes), for our own multi-line
    texts whose parts already went through `printable`."""
    return _NOT_XML.sub(lambda m: escape_char(m.group()), text)
