"""gate --usage reads recordings like every other input: the shared loader (YAML 1.2, its guards)."""

import pytest

from apicompat.errors import InputError
from apicompat.usage import read_recordings


def test_recordings_are_read_as_yaml_12(tmp_path):
    (tmp_path / "a.yaml").write_text("request: {method: get, path: /on/0777}\nsamples: []\n")
    (tmp_path / "empty.yaml").write_text("\n")  # skipped, as before
    (tmp_path / "other.yaml").write_text("just: text\n")  # not a snapshot: skipped
    found = read_recordings(str(tmp_path))
    assert [(r.method, r.path) for r in found] == [("GET", "/on/0777")]


@pytest.mark.parametrize("text, words", [
    ("request: {method: GET, path: /a\n", "line"),
    ("request: !!python/object:os.system {method: GET}\n", "tag"),
    ("request: {method: GET, path: /a}\nrequest: {method: GET, path: /b}\n", "duplicate"),
])
def test_a_bad_recording_is_an_input_error_naming_it(tmp_path, text, words):
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(InputError) as exc:
        read_recordings(str(tmp_path))
    assert exc.value.source.endswith("bad.yaml") and words in str(exc.value).lower()
