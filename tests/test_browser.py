"""The review page in a real browser: Playwright driving Debian's headless Chromium against the app.

`make test` installs chromium when it can (see the Makefile); without /usr/bin/chromium these
tests skip. Playwright's own browser download is never used. Screenshots are kept in
tests/artifacts/ (not committed) for a person to look at.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serve

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
    yield from serve(app)


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
    assert rows[0] == [
        "code", "name", "severity", "section", "line", "page", "table", "row", "column",
        "text", "message", "suggestion", "start", "end",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == [f["code"] for f in body["findings"]]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["message"] == body["findings"][0]["message"]
    assert [first["start"], first["end"]] == [str(body["findings"][0]["start"]), str(body["findings"][0]["end"])]
    assert first["page"] == first["table"] == first["row"] == first["column"] == ""  # a pasted text has none

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


# ---- the reviewer's day: dismissals, coverage, Chinese, Word export, small things -------------

NEW = "2020年收入合计50万元，其中：财政拨款20万元，占40%；其他收入30万元，占50%。"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def finding_item(page, code: str, text: str):
    return page.locator(".finding", has=page.locator(".code", has_text=code)).filter(
        has=page.locator(".quote", has_text=text)
    )


def dismiss(page, code: str, text: str, reason: str) -> None:
    finding_item(page, code, text).get_by_role("button", name=f"忽略为{reason}").click()


def stored_dismissals(page) -> dict:
    return page.evaluate("() => JSON.parse(localStorage.getItem('tally.dismissed') || '{}')")


def test_a_dismissed_finding_stays_dismissed_after_a_reload(page, app) -> None:
    body = api_check(app, SMALL)
    shr001 = next(f for f in body["findings"] if f["code"] == "SHR001")
    check_text(page, SMALL)
    expect(page.locator("#findings .finding")).to_have_count(2)
    expect(page.locator("#toggle-dismissed")).to_be_hidden()

    dismiss(page, "SHR001", "30%", "误报")
    expect(page.locator("#findings .finding")).to_have_count(1)
    expect(page.locator("#dismissed-count")).to_have_text("已忽略 1 条")
    expect(page.locator("#count-error")).to_have_text("1")  # the header counts what is still open
    expect(page.locator("#report .hl.f-error")).to_have_count(1)
    assert stored_dismissals(page)[shr001["fingerprint"]]["reason"] == "误报"

    page.reload()
    check_text(page, SMALL)
    expect(page.locator("#findings .finding")).to_have_count(1)
    expect(finding_item(page, "SHR001", "30%")).to_have_count(0)
    expect(page.locator("#dismissed-count")).to_have_text("已忽略 1 条")

    # shown again on request: greyed, with its reason and an undo
    page.locator("#toggle-dismissed").click()
    expect(page.locator("#findings .finding")).to_have_count(2)
    shown = finding_item(page, "SHR001", "30%")
    expect(shown).to_have_class("finding sev-error dismissed")
    expect(shown).to_contain_text("已忽略 · 误报")
    assert float(shown.evaluate("e => getComputedStyle(e).opacity")) < 1
    expect(page.locator("#report .hl.f-dismissed", has_text="30%")).to_have_count(1)
    screenshot(page, "review-dismissed-shown.png")
    shown.get_by_role("button", name="撤销忽略 SHR001").click()
    expect(page.locator("#findings .finding.dismissed")).to_have_count(0)
    expect(page.locator("#toggle-dismissed")).to_be_hidden()
    expect(page.locator("#count-error")).to_have_text("2")
    assert stored_dismissals(page) == {}


def test_a_dismissal_survives_an_edit_elsewhere_and_a_recheck(page, app) -> None:
    check_text(page, SMALL)
    dismiss(page, "SHR002", "75%", "已知")
    expect(page.locator("#findings .finding")).to_have_count(1)

    page.get_by_role("button", name="修改文本").click()
    expect(page.locator("#text")).to_have_value(SMALL)  # the text checked, back in the box
    edited = "某局2019年部门决算说明。\n" + SMALL + "\n" + NEW
    body = api_check(app, edited)
    assert {f["fingerprint"] for f in body["findings"]} >= set(stored_dismissals(page))
    check_text(page, edited)

    expect(page.locator("#findings .finding")).to_have_count(len(body["findings"]) - 1)
    expect(finding_item(page, "SHR002", "75%")).to_have_count(0)
    expect(finding_item(page, "SHR001", "50%")).to_have_count(1)  # the new finding is shown
    expect(page.locator("#dismissed-count")).to_have_text("已忽略 1 条")


def test_a_dismissal_in_one_tab_shows_in_another(page, base_url) -> None:
    other = page.context.new_page()
    other.goto(base_url + "/")
    check_text(page, SMALL)
    check_text(other, SMALL)
    dismiss(page, "SHR001", "30%", "已知")
    expect(other.locator("#findings .finding")).to_have_count(1)
    expect(other.locator("#dismissed-count")).to_have_text("已忽略 1 条")
    other.close()


def test_dismissing_from_the_keyboard_and_undoing(page) -> None:
    check_text(page, SMALL)
    page.locator("body").press("j")
    expect(page.locator(".finding.selected")).to_have_count(1)
    page.keyboard.press("3")
    expect(page.locator("#findings .finding")).to_have_count(1)
    expect(page.locator(".finding.selected")).to_have_count(1)  # the next one is selected
    assert [d["reason"] for d in stored_dismissals(page).values()] == ["已改"]
    page.keyboard.press("u")
    expect(page.locator("#findings .finding")).to_have_count(2)
    assert stored_dismissals(page) == {}


def test_dismissals_export_as_a_baseline_and_import_in_a_fresh_browser(page, browser, base_url, app) -> None:
    body = api_check(app, SMALL)
    shr001 = next(f for f in body["findings"] if f["code"] == "SHR001")
    check_text(page, SMALL)
    dismiss(page, "SHR001", "30%", "误报")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出忽略记录").click()
    assert info.value.suggested_filename == "tally.baseline.json"
    baseline = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert baseline["tally_baseline"] == 1
    assert baseline["created"].endswith("Z")
    assert baseline["findings"] == [
        {"fingerprint": shr001["fingerprint"], "code": "SHR001", "text": "30%", "reason": "误报", "file": None}
    ]

    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    try:
        fresh = context.new_page()
        fresh.goto(base_url + "/")
        check_text(fresh, SMALL)
        expect(fresh.locator("#findings .finding")).to_have_count(2)
        fresh.locator("#import-baseline").set_input_files(info.value.path())
        expect(fresh.locator("#findings .finding")).to_have_count(1)
        expect(finding_item(fresh, "SHR001", "30%")).to_have_count(0)
        expect(fresh.locator("#dismissed-count")).to_have_text("已忽略 1 条")
        expect(fresh.locator("#status")).to_contain_text("导入 1 条")
        assert stored_dismissals(fresh)[shr001["fingerprint"]]["reason"] == "误报"

        fresh.locator("#import-baseline").set_input_files(
            files=[{"name": "x.json", "mimeType": "application/json", "buffer": b"not json"}]
        )
        expect(fresh.locator("#error")).to_contain_text("不是有效的 JSON")
    finally:
        context.close()


def test_exports_leave_dismissed_findings_out(page, app) -> None:
    body = api_check(app, SMALL)
    check_text(page, SMALL)
    dismiss(page, "SHR001", "30%", "误报")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"), newline="")))
    assert [row["code"] for row in rows] == ["SHR002"]
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 JSON").click()
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert [f["code"] for f in exported["findings"]] == ["SHR002"]
    assert exported["coverage"]["ignored"] == 1
    assert exported["coverage"]["checked_total"] == body["coverage"]["checked_total"]


TABLE = (
    "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t310.00\t200.00\t100.00\n212\t城乡社区支出\t300.00\t200.00\t100.00\n注：本表反映支出情况。\n"
)


def test_csv_has_the_table_cell_of_a_finding(page, app) -> None:
    body = api_check(app, TABLE)
    (f,) = [f for f in body["findings"] if f["code"] == "TBL001"]
    check_text(page, TABLE)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"), newline="")))
    (row,) = [row for row in rows if row["code"] == "TBL001"]
    assert f["location"] == {"table": "一般公共预算财政拨款支出决算表", "row": "合计", "column": "合计"}
    assert {k: row[k] for k in ("table", "row", "column")} == f["location"]
    assert row["page"] == ""  # a pasted text has no pages


LONG = "\n".join(["各项工作稳步推进，本年度继续加强预算管理。"] * 80) + "\n收入比上年增长10%。"


def test_unchecked_claims_are_listed_and_lead_to_the_text(page, app) -> None:
    body = api_check(app, LONG)
    assert body["findings"] == [] and body["coverage"]["unchecked"] == {"change: rate without an amount of change": 1}
    check_text(page, LONG)

    # no findings, and the page says what was and was not checked
    expect(page.locator("#findings")).to_contain_text("未发现问题")
    expect(page.locator("#findings")).to_contain_text("没有核查任何说法")
    expect(page.locator("#count-unchecked")).to_have_text("1")
    expect(page.locator("#coverage")).to_have_attribute("open", "")
    expect(page.locator("#coverage-summary")).to_have_text("核查范围：已核查 0 项 · 未核查 1 项")
    group = page.locator(".unchecked-group")
    expect(group).to_have_count(1)
    expect(group).to_contain_text("增减变化：只有变动率，没有变动额")
    claim = group.locator(".claim-button")
    expect(claim).to_contain_text("10%")
    expect(claim).to_contain_text("第 81 行")

    assert page.locator("#report").evaluate("e => e.scrollTop") == 0
    claim.click()
    assert page.evaluate("() => window.getSelection().toString()") == "10%"
    inside = page.evaluate(
        """() => {
            const box = window.getSelection().getRangeAt(0).getBoundingClientRect();
            const frame = document.getElementById('report').getBoundingClientRect();
            return box.top >= frame.top && box.bottom <= frame.bottom && box.width > 0;
        }"""
    )
    assert inside
    assert page.locator("#report").evaluate("e => e.scrollTop") > 0
    screenshot(page, "review-unchecked.png")


def test_coverage_counts_what_was_checked(page, app, seed_000: str) -> None:
    body = api_check(app, seed_000)
    cov = body["coverage"]
    check_text(page, seed_000)
    expect(page.locator("#coverage")).not_to_have_attribute("open", "")
    page.locator("#count-unchecked-button").click()
    expect(page.locator("#coverage")).to_have_attribute("open", "")
    unchecked = sum(cov["unchecked"].values())
    summary = f"核查范围：已核查 {cov['checked_total']} 项 · 未核查 {unchecked} 项"
    expect(page.locator("#coverage-summary")).to_have_text(summary)
    share = cov["claims"]["share"]
    expect(page.locator(".checked-kinds li", has_text="占比").first).to_have_text(
        f"占比 {share['checked']} / 共 {share['found']}"
    )
    for key, n in cov["unchecked"].items():
        expect(page.locator(f'.unchecked-group[data-key="{key}"] .unchecked-count')).to_have_text(str(n))
    # every reason the engine gave is shown in Chinese
    reasons = page.locator(".unchecked-reason > span:first-child").all_text_contents()
    assert all(not any("a" <= ch.lower() <= "z" for ch in r.replace("CMP001", "")) for r in reasons), reasons


def test_the_chinese_error_message_is_shown_when_the_service_sends_one(page) -> None:
    def answer(route, message_zh):
        error = {"code": "validation_error", "message": "text must not be empty"}
        if message_zh:
            error["message_zh"] = message_zh
        route.fulfill(status=422, content_type="application/json", body=json.dumps({"error": error}))

    page.route("**/v1/check", lambda route: answer(route, "文本不能为空"))
    page.locator("#text").fill(SMALL)
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#error")).to_have_text("文本不能为空")
    page.unroute("**/v1/check")
    page.route("**/v1/check", lambda route: answer(route, None))
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#error")).to_have_text("text must not be empty")


def test_each_finding_shows_its_rule_title_beside_the_code(page, app) -> None:
    body = api_check(app, SMALL)
    check_text(page, SMALL)
    for f in body["findings"]:
        item = page.locator(".finding", has=page.locator(".code", has_text=f["code"]))
        expect(item.locator(".title")).to_have_text(f.get("title") or f["name"])


def test_the_word_button_sends_the_report_the_dismissals_and_the_file_name(page, app, tmp_path: Path) -> None:
    """The page's side of POST /v1/export/docx, whatever answers it."""
    docx = pytest.importorskip("docx", reason="python-docx is not installed")
    made = docx.Document()
    made.add_paragraph("已导出")
    made.save(tmp_path / "stub.docx")
    sent: list[dict] = []

    def answer(route):
        sent.append(route.request.post_data_json)
        route.fulfill(
            status=200,
            content_type=DOCX_TYPE,
            headers={"Content-Disposition": 'attachment; filename="x.docx"'},
            body=(tmp_path / "stub.docx").read_bytes(),
        )

    report = tmp_path / "某局决算.txt"
    report.write_text(SMALL, encoding="utf-8")
    page.locator("#file").set_input_files(str(report))
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#findings .finding")).to_have_count(2)
    dismiss(page, "SHR001", "30%", "误报")
    page.route("**/v1/export/docx", answer)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 Word").click()
    assert info.value.suggested_filename == "某局决算.findings.docx"
    opened = docx.Document(info.value.path())
    assert opened.paragraphs[0].text == "已导出"
    body = api_check(app, SMALL)
    (request,) = sent
    assert request["filename"] == "某局决算.txt"
    assert request["dismissed"] == [f["fingerprint"] for f in body["findings"] if f["code"] == "SHR001"]
    assert [f["fingerprint"] for f in request["report"]["findings"]] == [f["fingerprint"] for f in body["findings"]]
    assert request["report"]["coverage"] == body["coverage"]
    # the text goes with it, as an uploaded .txt's would, so the document can quote its sentences
    assert request["report"]["document"] == {"kind": "txt", "filename": "某局决算.txt", "text": SMALL}


def _has_docx_export(app) -> bool:
    return app.test_client().options("/v1/export/docx").status_code not in (404, 405)


def test_the_word_export_downloads_a_document_listing_the_open_findings(page, app) -> None:
    if not _has_docx_export(app):
        pytest.skip("needs /v1/export/docx")
    docx = pytest.importorskip("docx", reason="python-docx is not installed")
    body = api_check(app, SMALL)
    check_text(page, SMALL)
    dismiss(page, "SHR001", "30%", "误报")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 Word").click()
    assert info.value.suggested_filename == "tally-findings.docx"
    document = docx.Document(info.value.path())
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    kept = next(f for f in body["findings"] if f["code"] == "SHR002")
    gone = next(f for f in body["findings"] if f["code"] == "SHR001")
    assert kept["message"] in words
    assert gone["message"] not in words
    expect(page.locator("#error")).to_be_hidden()


def test_the_file_name_goes_after_an_edit_and_after_a_paste(page, tmp_path: Path) -> None:
    report = tmp_path / "上次的报告.txt"
    report.write_text(SMALL, encoding="utf-8")
    page.locator("#file").set_input_files(str(report))
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#report-title")).to_have_text("报告全文 · 上次的报告.txt")
    expect(page).to_have_title("上次的报告.txt · Tally")

    page.get_by_role("button", name="修改文本").click()
    expect(page).to_have_title("Tally · 财政报告一致性检查")
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#report-title")).to_have_text("报告全文")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 CSV").click()
    assert info.value.suggested_filename == "tally-findings.csv"

    # a .txt read again, then another text pasted over it
    page.get_by_role("button", name="修改文本").click()
    page.locator("#file").set_input_files(str(report))
    expect(page.locator("#text")).to_have_value(SMALL)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", "某局2019年部门决算说明。\n" + SMALL)
    page.locator("#text").select_text()
    page.locator("#text").press("Control+V")
    expect(page.locator("#text")).to_have_value("某局2019年部门决算说明。\n" + SMALL)
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#report-title")).to_have_text("报告全文")
    expect(page).to_have_title("Tally · 财政报告一致性检查")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 JSON").click()
    assert info.value.suggested_filename == "tally-findings.json"


def test_the_shortcuts_are_listed_under_a_question_mark(page) -> None:
    check_text(page, SMALL)
    help = page.locator("#help")
    expect(help).to_be_hidden()
    page.locator("body").press("?")
    expect(help).to_be_visible()
    for key in ("j", "k", "u", "Esc", "Ctrl"):
        expect(help.locator("kbd", has_text=key).first).to_be_visible()
    screenshot(page, "review-help.png")
    page.keyboard.press("Escape")
    expect(help).to_be_hidden()
    page.get_by_role("button", name="?").click()
    expect(help).to_be_visible()
    page.keyboard.press("j")  # keys do not act behind the overlay
    expect(page.locator(".finding.selected")).to_have_count(0)
    help.get_by_role("button", name="关闭").click()
    expect(help).to_be_hidden()
    # typing a ? in the text box types it
    page.get_by_role("button", name="修改文本").click()
    page.locator("#text").press("?")
    expect(help).to_be_hidden()


def test_the_page_loads_without_a_failed_request(browser, base_url) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    try:
        tab = context.new_page()
        failed: list[str] = []
        messages: list[str] = []
        tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        tab.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
        with tab.expect_response("**/static/favicon.svg") as icon:
            tab.goto(base_url + "/")
        assert icon.value.status == 200
        assert icon.value.headers["content-type"].startswith("image/svg+xml")
        check_text(tab, SMALL)
        tab.wait_for_load_state("networkidle")
        assert failed == [] and messages == []
    finally:
        context.close()


def test_on_a_phone_the_findings_get_the_screen(page, seed_000: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    check_text(page, seed_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    top = page.locator("#findings").bounding_box()["y"]
    assert top < 0.3 * 844, top
    expect(page.locator(".finding").first).to_be_in_viewport()
    header = page.locator("header.top").bounding_box()["height"]
    assert header < 60, header
    path = screenshot(page, "review-phone-390x844.png")
    assert path.stat().st_size > 10_000
    # a finding tapped still shows its place in the text, below the list
    page.locator(".finding-button").first.click()
    expect(page.locator("#report .sel").first).to_be_in_viewport()
    # editing the text on a phone gives the box the screen
    page.get_by_role("button", name="修改文本").click()
    expect(page.locator("#panel")).to_be_hidden()
    assert page.locator("#text").bounding_box()["height"] > 0.6 * 844
    check_text(page, SMALL)
    expect(page.locator("#findings .finding")).to_have_count(2)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_page_and_the_cli_read_each_others_baselines(page, tmp_path: Path) -> None:
    if "--baseline" not in _cli("check", "--help").stdout:
        pytest.skip("needs the CLI's --baseline")
    report = tmp_path / "report.txt"
    report.write_text(SMALL, encoding="utf-8")
    check_text(page, SMALL)
    dismiss(page, "SHR001", "30%", "误报")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出忽略记录").click()
    run = _cli("check", "--format", "json", "--baseline", info.value.path(), str(report))
    assert [f["code"] for f in json.loads(run.stdout)["findings"]] == ["SHR002"], run.stderr

    written = tmp_path / "cli.baseline.json"
    _cli("check", "--format", "json", "--write-baseline", str(written), str(report))
    page.locator("#import-baseline").set_input_files(str(written))
    expect(page.locator("#findings .finding")).to_have_count(0)
    expect(page.locator("#dismissed-count")).to_have_text("已忽略 2 条")
    page.locator("#toggle-dismissed").click()
    expect(finding_item(page, "SHR001", "30%")).to_contain_text("已忽略 · 误报")  # the page's own reason kept
    expect(finding_item(page, "SHR002", "75%")).to_contain_text("已忽略 · ")


def test_a_file_read_in_part_says_how_far_it_was_read(page, app, tmp_path: Path) -> None:
    """The service's answer for the file, with the coverage.extraction it sends for a file whose
    reading ran out of time (200 pages, of which 3 were read)."""
    docx = pytest.importorskip("docx", reason="python-docx is not installed")
    document = docx.Document()
    document.add_paragraph(SMALL)
    path = tmp_path / "long.docx"
    document.save(path)
    body = app.test_client().post("/v1/check", data={"file": (path.open("rb"), "long.docx")}).get_json()
    body["coverage"].update(
        extraction={"unit": "page", "read": 3, "total": 200, "complete": False}, incomplete=True, stopped_in="read"
    )
    page.route(
        "**/v1/check",
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(body)),
    )
    page.locator("#file").set_input_files(str(path))
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#coverage-summary")).to_contain_text("部分规则未运行")
    page.locator("#count-unchecked-button").click()
    expect(page.locator(".coverage-warning")).to_have_text(
        "读取文件的时间用尽：只读取并检查了前 3 页（共 200 页），其余未检查。"
    )
