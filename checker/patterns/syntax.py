"""ECMA-262 regular expressions (the dialect of JSON Schema's `pattern`) parsed into a small tree.

One parser serves both jobs of the package: the tree becomes an automaton for language questions
(lang.py) and is written back in Python's syntax with ECMA's meaning for bounded matching (engine.py).
Patterns are read as with the `u` flag (code points, `\\u{...}`, surrogate pairs joined), and with
the lenient Annex B rules browsers apply without it (a `{` that starts no quantifier, or a `]`
outside a class, is literal; `\\-` and `\\/` are identity escapes), because that is what real specs
contain. Constructs no finite automaton can model are kept as their own nodes (`Look`, `BackRef`,
`WordBoundary`) so that the automaton builder can say which one it met.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

MAX_CODE = 0x10FFFF
MAX_COUNT = 100_000  # a `{n,m}` bound above this is refused as unreasonable, whatever the engine
MAX_LENGTH = 10_000  # characters of pattern source
MAX_DEPTH = 200  # nesting of groups

Ranges = tuple  # tuple[tuple[int, int], ...]: sorted, disjoint, non-adjacent code point ranges


class PatternError(ValueError):
    """Not a valid ECMA-262 pattern (or beyond the parser's size bounds)."""


@dataclass(frozen=True)
class Chars:
    """One character out of a set of code points."""

    ranges: Ranges


@dataclass(frozen=True)
class Seq:
    items: tuple


@dataclass(frozen=True)
class Alt:
    options: tuple


@dataclass(frozen=True)
class Repeat:
    item: Node
    min: int
    max: int | None  # None: unbounded
    lazy: bool = False  # the same language; kept so that the Python rendering keeps the behaviour


@dataclass(frozen=True)
class Group:
    """A capturing group: the same language as its content; kept so backreference numbers hold."""

    item: Node
    name: str | None = None


@dataclass(frozen=True)
class Anchor:
    kind: str  # "start" (^) or "end" ($)


@dataclass(frozen=True)
class WordBoundary:
    negated: bool


@dataclass(frozen=True)
class Look:
    item: Node
    behind: bool
    negated: bool


@dataclass(frozen=True)
class BackRef:
    ref: int | str


Node = Chars | Seq | Alt | Repeat | Group | Anchor | WordBoundary | Look | BackRef


# -- code point sets ---------------------------------------------------------------------------------
def normalise(ranges) -> Ranges:
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def negate(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE:
        out.append((start, MAX_CODE))
    return tuple(out)


def _chars(text: str) -> Ranges:
    return normalise((ord(c), ord(c)) for c in text)


DIGIT = ((0x30, 0x39),)
WORD = normalise([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
# ECMA-262 WhiteSpace and LineTerminator: \s is this exact set (not Python's, which differs)
SPACE = normalise([(0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
                   (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
                   (0xFEFF, 0xFEFF)])
LINE_TERMINATORS = normalise([(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)])
DOT = negate(LINE_TERMINATORS)
ANY = ((0, MAX_CODE),)
CLASS_ESCAPES = {"d": DIGIT, "D": negate(DIGIT), "w": WORD, "W": negate(WORD), "s": SPACE, "S": negate(SPACE)}
CONTROL_ESCAPES = {"t": 0x09, "n": 0x0A, "v": 0x0B, "f": 0x0C, "r": 0x0D}
SYNTAX_CHARACTERS = set("^$\\.*+?()[]{}|/")
EMPTY = Seq(())


# -- the parser --------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.groups = 0
        self.names: dict[str, int] = {}
        self.depth = 0

    def error(self, what: str) -> PatternError:
        return PatternError(f"{what} at offset {self.i}")

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def eat(self, text: str) -> bool:
        if self.s.startswith(text, self.i):
            self.i += len(text)
            return True
        return False

    def parse(self) -> Node:
        node = self.disjunction()
        if self.i < len(self.s):
            raise self.error(f"unmatched {self.peek()!r}")
        return node

    def disjunction(self) -> Node:
        options = [self.alternative()]
        while self.eat("|"):
            options.append(self.alternative())
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def alternative(self) -> Node:
        items = []
        while self.i < len(self.s) and self.peek() not in "|)":
            items.append(self.term())
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def term(self) -> Node:
        c = self.peek()
        if c == "^":
            self.i += 1
            return Anchor("start")
        if c == "$":
            self.i += 1
            return Anchor("end")
        if c == "\\" and self.peek(1) in ("b", "B"):
            self.i += 2
            return WordBoundary(self.s[self.i - 1] == "B")
        if self.s.startswith("(?=", self.i) or self.s.startswith("(?!", self.i):
            negated = self.s[self.i + 2] == "!"
            self.i += 3
            item = self.group_body()
            look = Look(item, behind=False, negated=negated)
            # Annex B: a lookahead may carry a quantifier; it asserts the same either way (or nothing at {0})
            if self.quantifier_ahead():
                lo, _, _ = self.quantifier()
                return look if lo > 0 else EMPTY
            return look
        if self.s.startswith("(?<=", self.i) or self.s.startswith("(?<!", self.i):
            negated = self.s[self.i + 3] == "!"
            self.i += 4
            return Look(self.group_body(), behind=True, negated=negated)
        atom = self.atom()
        if self.quantifier_ahead():
            lo, hi, lazy = self.quantifier()
            return Repeat(atom, lo, hi, lazy)
        return atom

    def group_body(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("groups nested too deeply")
        node = self.disjunction()
        if not self.eat(")"):
            raise self.error("unterminated group")
        self.depth -= 1
        return node

    def quantifier_ahead(self) -> bool:
        c = self.peek()
        return c in ("*", "+", "?") or (c == "{" and self._braces() is not None)

    def _braces(self):
        """The `{n}`, `{n,}` or `{n,m}` at the cursor, or None when it is a literal `{` (Annex B)."""
        j = self.i + 1
        k = j
        while k < len(self.s) and self.s[k].isdigit() and self.s[k].isascii():
            k += 1
        if k == j:
            return None
        lo, hi = int(self.s[j:k]) if k - j < 12 else MAX_COUNT + 1, None
        if k < len(self.s) and self.s[k] == "}":
            return lo, lo, k + 1
        if k >= len(self.s) or self.s[k] != ",":
            return None
        m = k + 1
        while m < len(self.s) and self.s[m].isdigit() and self.s[m].isascii():
            m += 1
        if m >= len(self.s) or self.s[m] != "}":
            return None
        if m > k + 1:
            hi = int(self.s[k + 1:m]) if m - k - 1 < 12 else MAX_COUNT + 1
        return lo, hi, m + 1

    def quantifier(self) -> tuple[int, int | None, bool]:
        c = self.peek()
        if c == "*":
            lo, hi, self.i = 0, None, self.i + 1
        elif c == "+":
            lo, hi, self.i = 1, None, self.i + 1
        elif c == "?":
            lo, hi, self.i = 0, 1, self.i + 1
        else:
            lo, hi, self.i = self._braces()
            if hi is not None and hi < lo:
                raise self.error("numbers out of order in {} quantifier")
            if lo > MAX_COUNT or (hi or 0) > MAX_COUNT:
                raise self.error(f"a repeat count above {MAX_COUNT}")
        lazy = self.eat("?")
        if self.quantifier_ahead():
            raise self.error("nothing to repeat")
        return lo, hi, lazy

    def atom(self) -> Node:
        c = self.peek()
        if c == ".":
            self.i += 1
            return Chars(DOT)
        if c == "(":
            self.i += 1
            name = None
            if self.eat("?:"):
                return self.group_body()
            if self.eat("?<"):
                end = self.s.find(">", self.i)
                name = self.s[self.i:end] if end > self.i else ""
                if not name or not (name[0].isalpha() or name[0] in "_$") \
                        or not all(ch.isalnum() or ch in "_$" for ch in name):
                    raise self.error("invalid group name")
                if name in self.names:
                    raise self.error(f"duplicate group name {name!r}")
                self.names[name] = self.groups + 1
                self.i = end + 1
            elif self.peek() == "?":
                raise self.error("invalid group")  # (?i), (?P<...>), (?#...): not ECMA-262
            self.groups += 1
            return Group(self.group_body(), name)
        if c == "[":
            self.i += 1
            return Chars(self.char_class())
        if c == "\\":
            self.i += 1
            return self.atom_escape()
        if c in ("*", "+", "?"):
            raise self.error("nothing to repeat")
        if c == "{" and self._braces() is not None:
            raise self.error("nothing to repeat")
        if c == ")":
            raise self.error("unmatched ')'")
        self.i += 1
        return Chars(((ord(c), ord(c)),))

    def atom_escape(self) -> Node:
        c = self.peek()
        if not c:
            raise self.error("a pattern may not end with '\\'")
        if c.isdigit() and c != "0":
            j = self.i
            while j < len(self.s) and self.s[j].isdigit():
                j += 1
            ref = int(self.s[self.i:j])
            self.i = j
            return BackRef(ref)
        if c == "k" and self.peek(1) == "<":
            end = self.s.find(">", self.i)
            if end < 0:
                raise self.error("invalid named reference")
            name = self.s[self.i + 2:end]
            self.i = end + 1
            return BackRef(name)
        if c in CLASS_ESCAPES:
            self.i += 1
            return Chars(CLASS_ESCAPES[c])
        return Chars(((self.character_escape(in_class=False),) * 2,))

    def character_escape(self, in_class: bool) -> int:
        """The code point of the escape after a backslash (the cursor is past the backslash)."""
        c = self.peek()
        self.i += 1
        if c in CONTROL_ESCAPES:
            return CONTROL_ESCAPES[c]
        if c == "0" and not self.peek().isdigit():
            return 0
        if c == "c":
            letter = self.peek()
            if letter.isascii() and letter.isalpha():
                self.i += 1
                return ord(letter) % 32
            raise self.error("invalid control escape")
        if c == "x":
            digits = self.s[self.i:self.i + 2]
            if len(digits) == 2 and all(ch in "0123456789abcdefABCDEF" for ch in digits):
                self.i += 2
                return int(digits, 16)
            raise self.error("invalid \\x escape")
        if c == "u":
            return self.unicode_escape()
        if c in ("p", "P"):
            raise Undecided("uses a Unicode property escape (\\p{...})")
        if c in SYNTAX_CHARACTERS or c == "-" or (not c.isascii() and not c.isalnum()):
            return ord(c)
        if not c.isalnum() and c != "_":
            return ord(c)  # Annex B identity escape of punctuation, e.g. \" \' \: \@ \#
        raise self.error(f"invalid escape '\\{c}'")

    def unicode_escape(self) -> int:
        if self.peek() == "{":
            end = self.s.find("}", self.i)
            digits = self.s[self.i + 1:end] if end > 0 else ""
            if not digits or len(digits) > 8 or not all(ch in "0123456789abcdefABCDEF" for ch in digits) \
                    or int(digits, 16) > MAX_CODE:
                raise self.error("invalid \\u{...} escape")
            self.i = end + 1
            return int(digits, 16)
        digits = self.s[self.i:self.i + 4]
        if len(digits) != 4 or not all(ch in "0123456789abcdefABCDEF" for ch in digits):
            raise self.error("invalid \\u escape")
        self.i += 4
        code = int(digits, 16)
        if 0xD800 <= code <= 0xDBFF and self.s.startswith("\\u", self.i):
            low = self.s[self.i + 2:self.i + 6]
            if len(low) == 4 and all(ch in "0123456789abcdefABCDEF" for ch in low) \
                    and 0xDC00 <= int(low, 16) <= 0xDFFF:
                self.i += 6
                return 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
        return code

    def char_class(self) -> Ranges:
        negated = self.eat("^")
        ranges: list[tuple[int, int]] = []
        while True:
            if self.i >= len(self.s):
                raise self.error("unterminated character class")
            if self.eat("]"):
                break
            lo = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                hi = self.class_atom()
                if isinstance(lo, tuple) or isinstance(hi, tuple):  # Annex B: [\d-z] is \d, '-' and 'z'
                    ranges += [*_as_ranges(lo), (0x2D, 0x2D), *_as_ranges(hi)]
                    continue
                if hi < lo:
                    raise self.error("range out of order in character class")
                ranges.append((lo, hi))
            else:
                ranges += _as_ranges(lo)
        out = normalise(ranges)
        return negate(out) if negated else out

    def class_atom(self):
        """A code point, or the ranges of a class escape such as \\d."""
        c = self.peek()
        if c != "\\":
            self.i += 1
            return ord(c)
        self.i += 1
        c = self.peek()
        if c in CLASS_ESCAPES:
            self.i += 1
            return CLASS_ESCAPES[c]
        if c == "b":
            self.i += 1
            return 0x08
        if c == "-":
            self.i += 1
            return ord("-")
        if c.isdigit() and c != "0":
            raise self.error("backreference in a character class")
        return self.character_escape(in_class=True)


def _as_ranges(atom) -> Ranges:
    return atom if isinstance(atom, tuple) else ((atom, atom),)


class Undecided(Exception):
    """A question this package will not answer; `reason` says why in a few words ("uses a
    backreference", "too large to decide"). Raised for syntax read but not modelled, too."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse(source: str) -> Node:
    """The tree of an ECMA-262 pattern. Raises PatternError, or Undecided for what it will not model."""
    if not isinstance(source, str):
        raise PatternError("a pattern must be a string")
    if len(source) > MAX_LENGTH:
        raise PatternError(f"longer than {MAX_LENGTH} characters")
    parser = _Parser(source)
    node = parser.parse()
    for ref in _backrefs(node):
        if isinstance(ref.ref, int) and ref.ref > parser.groups:
            raise PatternError(f"backreference \\{ref.ref} to a group that does not exist")
        if isinstance(ref.ref, str) and ref.ref not in parser.names:
            raise PatternError(f"backreference to an unknown group name {ref.ref!r}")
    return _numbered(node, parser.names) if parser.names else node


def _numbered(node: Node, names: dict) -> Node:
    """Named backreferences by group number, the one spelling every engine takes."""
    if isinstance(node, BackRef):
        return BackRef(names.get(node.ref, node.ref)) if isinstance(node.ref, str) else node
    if isinstance(node, Seq):
        return Seq(tuple(_numbered(i, names) for i in node.items))
    if isinstance(node, Alt):
        return Alt(tuple(_numbered(o, names) for o in node.options))
    if isinstance(node, (Repeat, Group, Look)):
        return dataclasses.replace(node, item=_numbered(node.item, names))
    return node


def expanded_size(node: Node) -> int:
    """About how many states the node takes once its counted repeats are written out: the cost
    every engine that expands repeats pays (an automaton, and the `regex` module's compiler)."""
    if isinstance(node, Chars):
        return 2
    if isinstance(node, Seq):
        return sum(expanded_size(i) for i in node.items) + 1
    if isinstance(node, Alt):
        return sum(expanded_size(o) for o in node.options) + 2
    if isinstance(node, (Group, Look)):
        return expanded_size(node.item) + 2
    if isinstance(node, Repeat):
        copies = node.max if node.max is not None else node.min + 1
        return expanded_size(node.item) * max(copies, 1) + 2 * copies + 2
    return 2


def _backrefs(node: Node):
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, BackRef):
            yield n
        elif isinstance(n, (Seq,)):
            stack.extend(n.items)
        elif isinstance(n, Alt):
            stack.extend(n.options)
        elif isinstance(n, (Repeat, Group, Look)):
            stack.append(n.item)
