"""The YAML tag pre-scan: finds every tag that starts a node, and nothing inside text."""

import pytest

from apicompat.errors import InputError
from apicompat.load import parse_text

pytestmark = pytest.mark.usefixtures("yaml_parser")  # every test under both YAML parsers


@pytest.mark.parametrize("text, tag", [
    ("a: !!python/object/apply:os.system ['x']\n", "!!python/object/apply:os.system"),
    ("- !foo 1\n", "!foo"),
    ("- - !foo 1\n", "!foo"),
    ("a: [1, !bar 2]\n", "!bar"),
    ("a: {k: !baz v}\n", "!baz"),
    ("!<tag:yaml.org,2002:python/none> x\n", "!<tag:yaml.org,2002:python/none>"),
])
def test_tags_are_refused_with_their_line(text, tag):
    with pytest.raises(InputError) as err:
        parse_text("t.yaml", text)
    assert tag in str(err.value) and "line 1" in str(err.value)


@pytest.mark.parametrize("text", [
    "a: 'hi!'\n", "a: hi! there\n", "k: |\n  Note: !important\n", "a: x!y\n", "a: !!str 5\n",
    "url: 'http://x/#!/a'\n",
])
def test_exclamation_marks_in_text_are_fine(text):
    assert isinstance(parse_text("t.yaml", text), dict)


def test_a_long_line_with_many_exclamation_marks():
    text = "a: '" + "wow! " * 200_000 + "'\n"
    assert parse_text("t.yaml", text)["a"].count("!") == 200_000
