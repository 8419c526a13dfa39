"""The review page at ``/``: served by the app, UTF-8, self-contained (no external URLs)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "service" / "http" / "static"
VENDOR = STATIC / "vendor" / "pdfjs"  # pdf.js, copied in by scripts/vendor-static (not committed)
EXTERNAL = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


def test_index_is_utf8_html(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.mimetype_params.get("charset", "").lower() == "utf-8"
    html = response.get_data().decode("utf-8")
    assert '<meta charset="utf-8">' in html
    assert '<html lang="zh-CN">' in html
    assert "检查" in html
    for asset in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert asset.startswith("/static/") or asset == "/wording.js", asset  # all from the app itself
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/static/app.js", "text/javascript"),
        ("/static/pdfview.js", "text/javascript"),
        ("/static/app.css", "text/css"),
        ("/static/index.html", "text/html"),
    ],
)
def test_static_files_have_their_content_types(client, path: str, mimetype: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.mimetype_params.get("charset", "").lower() == "utf-8"
    response.get_data().decode("utf-8")


def test_the_favicon_is_an_svg_linked_from_the_page(client) -> None:
    html = client.get("/").get_data().decode("utf-8")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data().startswith(b"<svg ")


def test_no_external_urls() -> None:
    """The page's own files name nothing outside the app (pdf.js, vendored, holds licence and XML
    namespace URLs in its text, and is loaded from /static/vendor/ by pdfview.js: see below)."""
    files = sorted(p for p in STATIC.rglob("*") if VENDOR not in p.parents)
    assert {p.name for p in files} >= {"index.html", "app.js", "app.css", "pdfview.js"}
    for path in files:
        if path.is_file():
            # an SVG file names its XML namespace with a URL; it is a name, never fetched
            text = path.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
            assert "http://" not in text and "https://" not in text, path
            assert not EXTERNAL.search(text), (path, EXTERNAL.search(text))


def test_pdfjs_is_loaded_from_the_app_itself(client) -> None:
    script = (STATIC / "pdfview.js").read_text(encoding="utf-8")
    assert 'const VENDOR = "/static/vendor/pdfjs/";' in script
    assert re.findall(r'VENDOR \+ "([^"]+)"', script) == [
        "pdf.min.mjs", "pdf.worker.min.mjs", "cmaps/", "standard_fonts/", "wasm/", "iccs/"
    ]  # fmt: skip
    if not (VENDOR / "pdf.min.mjs").exists():
        pytest.skip("pdf.js is not vendored: run scripts/vendor-static (it needs npm)")
    for name in ("pdf.min.mjs", "pdf.worker.min.mjs"):
        response = client.get(f"/static/vendor/pdfjs/{name}")
        assert response.status_code == 200 and response.mimetype == "text/javascript", name  # an ES module
    assert client.get("/static/vendor/pdfjs/cmaps/UniGB-UCS2-H.bcmap").status_code == 200


def test_css_names_cjk_fonts_and_a_generous_line_height() -> None:
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"):
        assert font in css
    heights = [float(h) for h in re.findall(r"line-height:\s*([\d.]+)\s*;", css) if float(h) > 1]
    assert heights and min(heights) >= 1.5


def test_api_still_answers_beside_the_page(client) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/static/missing.js").status_code == 404


def test_the_page_filters_every_family_and_labels_every_role() -> None:
    """The page's family filter and evidence labels name what the engine reports."""
    import regex

    from service.checks import FAMILY_ORDER

    js = (STATIC / "app.js").read_text(encoding="utf-8")
    listed = regex.search(r"const FAMILIES = \[([^\]]*)\]", js).group(1)
    assert regex.findall(r'"([A-Z]+)"', listed) == list(FAMILY_ORDER)
    roles = set(regex.findall(r'Evidence\.(?:of|at)\([^)]*?"([a-z-]+)"', _engine_source()))
    labelled = regex.search(r"const ROLES = \{(.*?)\};", js, regex.S).group(1)
    for role in roles:
        assert regex.search(rf'(?:^|[\s,{{])"?{regex.escape(role)}"?:', labelled), role


def _engine_source() -> str:
    from pathlib import Path

    import service

    return "\n".join(p.read_text(encoding="utf-8") for p in Path(service.__file__).parent.rglob("*.py"))


def test_the_page_words_unchecked_reasons_from_the_one_table_the_cli_uses(client) -> None:
    """coverage.unchecked counts "<kind>: <reason>" in English; the page shows each in Chinese, in the
    words of patterns/unchecked.toml (served as /wording.js), which tests/test_wording.py holds to
    every reason the engine can give."""
    import json

    from service.report.wording import kinds_zh, reasons_zh

    response = client.get("/wording.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    prefix = "window.TALLY_WORDING = "
    assert body.startswith(prefix)
    served = json.loads(body[len(prefix) :].rstrip().rstrip(";"))
    assert served == {"kinds": kinds_zh(), "reasons": reasons_zh()}
    assert served["reasons"]["approximate figures"] == "含约数"
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert html.index('src="/wording.js"') < html.index('src="/static/app.js"')  # defined before the page runs
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    assert "含约数" not in js  # no second copy of the table in the script


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["run", "test"])
def test_make_run_and_test_vendor_pdfjs_first(target: str) -> None:
    commands = subprocess.run(
        ["make", "-n", "-B", target, "VENV=/nonexistent/venv"],
        cwd=STATIC.parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "scripts/vendor-static" in commands
    assert commands.index("scripts/vendor-static") < commands.index("tally serve" if target == "run" else "pytest")
