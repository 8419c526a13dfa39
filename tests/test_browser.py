"""The review page in a real browser: Playwright driving Debian's headless Chromium against the app.

`make test` installs chromium when it can (see the Makefile); without /usr/bin/chromium these
tests skip. Playwright's own browser download is never used. Screenshots are kept in
tests/artifacts/ (not committed) for a person to look at.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SMALL = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium; `make test` installs it when run as root "
        "with apt-get (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra: pip install -e '.[dev]'")
expect = sync_api.expect


@pytest.fixture(scope="module")
def base_url(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # launch() gives every run a fresh temporary profile (Playwright's own --user-data-dir)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser, base_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.set_default_timeout(20_000)
    tab.goto(base_url + "/")
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def api_check(app, text: str) -> dict:
    return app.test_client().post("/v1/check", json={"text": text, "options": {"include": ["claims"]}}).get_json()


def check_text(page, text: str) -> None:
    page.locator("#text").fill(text)
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#report-view")).to_be_visible()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def test_seed_000_rate_on_wrong_base_is_highlighted_and_its_evidence_shown(page, app, seed_000: str) -> None:
    body = api_check(app, seed_000)
    check_text(page, seed_000)

    mark = page.locator("#report .hl.f-error", has_text="52.17%")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("52.17%")
    expect(mark).to_have_attribute("data-marker", "✖")

    severities = [f["severity"] for f in body["findings"]]
    expect(page.locator("#count-error")).to_have_text(str(severities.count("error")))
    expect(page.locator("#count-warning")).to_have_text(str(severities.count("warning")))
    expect(page.locator("#count-info")).to_have_text(str(severities.count("info")))
    expect(page.locator("#count-checked")).to_have_text(str(body["coverage"]["checked_total"]))
    expect(page.locator("#unit-name")).to_have_text(body["coverage"]["names"]["reporting_unit"]["name"])
    expect(page.locator(".finding")).to_have_count(len(body["findings"]))
    sections = {f["section"] for f in body["findings"]}
    expect(page.locator(".group")).to_have_count(len(sections))

    item = page.locator(".finding-button", has_text="52.17%")
    expect(item).to_contain_text("CHG001")
    expect(item).to_contain_text("784.88 ÷ 上年 719.43")
    item.click()

    expect(item).to_have_attribute("aria-expanded", "true")
    evidence = page.locator(".finding.selected .evidence")
    expect(evidence).to_be_visible()
    for figure in ("1504.31万元", "784.88万元"):
        expect(evidence).to_contain_text(figure)
        expect(page.locator("#report .ev-sel", has_text=figure).first).to_be_visible()
    expect(page.locator("#report .sel", has_text="52.17%")).to_be_visible()
    assert page.evaluate("document.activeElement.textContent") == "52.17%"
    assert page.evaluate("document.activeElement.id") == item.evaluate("e => e.id.replace('item-', 'f-')")
    expect(page.locator("#report .ev-sel[data-role]")).to_have_count(2)

    path = screenshot(page, "review-seed-000.png")
    assert path.stat().st_size > 10_000


def test_offsets_are_code_points_with_a_character_outside_the_bmp(page) -> None:
    check_text(page, "𠮷𠮷𠮷" + SMALL)
    expect(page.locator("#report .hl.f-error").first).to_have_text("30%")
    page.locator(".finding-button", has_text="SHR001").click()
    for figure in ("25万元", "100万元"):
        expect(page.locator("#report .ev-sel", has_text=figure)).to_have_text(figure)
    assert page.locator("#report").text_content() == "𠮷𠮷𠮷" + SMALL


def test_ctrl_enter_checks_and_filters_hide_findings(page) -> None:
    page.locator("#text").fill(SMALL)
    page.locator("#text").press("Control+Enter")
    expect(page.locator("#report .hl.f-error")).to_have_count(2)
    expect(page.locator(".finding")).to_have_count(2)

    page.locator("#family-filters label", has_text="SHR").locator("input").uncheck()
    expect(page.locator(".finding")).to_have_count(0)
    expect(page.locator("#report .hl")).to_have_count(0)
    expect(page.locator("#count-error")).to_have_text("2")  # counts describe the report, not the filter
    page.locator("#family-filters label", has_text="SHR").locator("input").check()
    page.locator("#severity-filters label", has_text="错误").locator("input").uncheck()
    expect(page.locator(".finding")).to_have_count(0)
    page.locator("#severity-filters label", has_text="错误").locator("input").check()
    expect(page.locator(".finding")).to_have_count(2)

    page.locator(".finding-button").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".finding.selected")).to_have_count(1)


def test_exports_csv_with_bom_and_json(page, app) -> None:
    body = api_check(app, SMALL)
    check_text(page, SMALL)

    with page.expect_download() as info:
        page.get_by_role("button", name="导出 CSV").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["code", "name", "severity", "section", "line", "text", "message", "suggestion", "start", "end"]
    assert [row[0] for row in rows[1:]] == [f["code"] for f in body["findings"]]
    assert rows[1][6] == body["findings"][0]["message"]
    assert rows[1][8:] == [str(body["findings"][0]["start"]), str(body["findings"][0]["end"])]

    with page.expect_download() as info:
        page.get_by_role("button", name="导出 JSON").click()
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert exported["findings"] == body["findings"]
    assert exported["coverage"]["checked_total"] == body["coverage"]["checked_total"]


def test_csv_cells_cannot_become_formulas(page) -> None:
    """A text cell a spreadsheet would evaluate (=, +, -, @) is written with a leading '."""
    cells = page.evaluate("() => ['=HYPERLINK(1)', '+1', '-1', '@SUM(A1)', '占30%', 12].map(csvField)")
    assert cells == ["'=HYPERLINK(1)", "'+1", "'-1", "'@SUM(A1)", "占30%", "12"]


def test_txt_file_is_read_in_the_page_even_in_gb18030(page, tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_bytes(SMALL.encode("gb18030"))
    page.locator("#file").set_input_files(str(report))
    expect(page.locator("#text")).to_have_value(SMALL)
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#report .hl.f-error")).to_have_count(2)
    expect(page.locator("#report-title")).to_contain_text("报告.txt")


def test_a_rejected_file_shows_the_error_message(page, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this is not a PDF")
    page.locator("#file").set_input_files(str(broken))
    expect(page.locator("#file-chip")).to_contain_text("broken.pdf")
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#error")).to_be_visible()
    assert page.locator("#error").text_content().strip()
    expect(page.locator("#report-view")).to_be_hidden()


def test_docx_upload_shows_findings(page, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx", reason="python-docx is not installed")
    document = docx.Document()
    document.add_paragraph("某局2019年部门决算说明")
    document.add_paragraph(SMALL)
    path = tmp_path / "report.docx"
    document.save(path)

    page.locator("#file").set_input_files(str(path))
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#report .hl.f-error").first).to_have_text("30%")
    expect(page.locator("#report-title")).to_contain_text("report.docx")
    page.locator(".finding-button", has_text="SHR001").click()
    expect(page.locator(".finding.selected .evidence")).to_contain_text("25万元")
    screenshot(page, "review-docx.png")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (800, 900)])
def test_fits_the_screen_without_sideways_scrolling(page, seed_000: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    check_text(page, seed_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator(".finding").first).to_be_in_viewport()
    expect(page.locator("#report .hl").first).to_be_attached()
    screenshot(page, f"review-{width}x{height}.png")
