"""The HTML report in a real browser: headless Chromium runs its script (the filter line is
written by JS) and the rendered DOM shows the rule ids and the counts; a screenshot is taken."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from apicompat.cli import main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit"))
from test_formats import EXPECTED, write_pair  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(CHROMIUM is None, reason="no `chromium` binary on PATH (apt-get install chromium)")
def test_html_report_renders_in_chromium(tmp_path, capsys):
    pair = write_pair(tmp_path)
    page = tmp_path / "report.html"
    with pytest.raises(SystemExit) as exc:
        main(["diff", *pair, "--format", "html", "--output", str(page)])
    assert exc.value.code == 1
    html = page.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html, re.I)

    dom = chromium(["--dump-dom", page.as_uri()], tmp_path / "profile1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = dom.stdout
    for rule in EXPECTED:
        assert rule in text
    assert "Showing 4 of 4 changes" in text  # written by the page's script: JS ran
    for label in ("breaking", "warning", "additive", "info"):
        assert re.search(rf'id="count-{label}"><b>1</b>', text)

    shot = tmp_path / "report.png"
    res = chromium([f"--screenshot={shot}", "--window-size=1200,900", page.as_uri()], tmp_path / "profile2")
    assert res.returncode == 0, res.stderr[-2000:]
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
