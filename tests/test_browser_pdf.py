"""The review page's PDF view in a real browser (Playwright + Debian's chromium, as tests/test_browser.py):
an uploaded PDF is drawn beside the text by pdf.js (vendored by scripts/vendor-static), with a box
on the flagged figure where pdf.js itself draws that figure, page marks in the text, and a click
on a finding on page 2 turning the view to page 2. Screenshots go to tests/artifacts/.
"""

# ruff: noqa: F811  (the fixtures of tests/test_browser.py, imported, are parameters here)
from __future__ import annotations

import base64
from pathlib import Path

import pytest
from test_browser import base_url, browser, expect, page, screenshot  # noqa: F401 (fixtures)
from test_pdf import drawn_box, paged_pdf

VENDOR = Path(__file__).resolve().parents[1] / "service" / "http" / "static" / "vendor" / "pdfjs"

# where pdf.js draws a text item of the page shown, in CSS pixels from the page's top-left corner:
# its own reading of the PDF (the text's matrix and advance), independent of the service's boxes
WHERE_PDFJS_DRAWS = """
async ([data, number, figure]) => {
  const pdfjs = await import("/static/vendor/pdfjs/pdf.min.mjs");
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const loading = pdfjs.getDocument({ data: bytes, cMapUrl: "/static/vendor/pdfjs/cmaps/",
    cMapPacked: true, standardFontDataUrl: "/static/vendor/pdfjs/standard_fonts/" });
  const pdf = await loading.promise;
  const page = await pdf.getPage(number);
  const scale = Number(document.getElementById("pdf-sheet").dataset.scale);
  const viewport = page.getViewport({ scale });
  const item = (await page.getTextContent()).items.find((i) => i.str === figure);
  const m = pdfjs.Util.transform(viewport.transform, item.transform);
  const size = Math.hypot(m[2], m[3]);
  const out = { left: m[4], right: m[4] + item.width * scale, bottom: m[5], top: m[5] - 0.662 * size };
  await loading.destroy();
  return out;
}
"""

if not (VENDOR / "pdf.min.mjs").exists():
    pytest.skip("pdf.js is not vendored: run scripts/vendor-static (make test does, with npm)", allow_module_level=True)


def upload(page, tmp_path: Path) -> tuple[bytes, list]:
    data, drawn = paged_pdf()
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    page.locator("#file").set_input_files(str(path))
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.locator("#report-view")).to_be_visible()
    return data, drawn


def overlay(page, selector: str) -> dict:
    """The rectangle of an element over the PDF page, in CSS pixels from the page's top-left corner."""
    return page.evaluate(
        """(selector) => {
          const sheet = document.getElementById("pdf-sheet").getBoundingClientRect();
          const r = document.querySelector(selector).getBoundingClientRect();
          return { left: r.left - sheet.left, right: r.right - sheet.left, top: r.top - sheet.top,
                   bottom: r.bottom - sheet.top };
        }""",
        selector,
    )


def assert_over(box: dict, glyphs: dict, slack: float = 1.5) -> None:
    assert box["left"] <= glyphs["left"] + slack and box["right"] >= glyphs["right"] - slack, (box, glyphs)
    assert box["top"] <= glyphs["top"] + slack and box["bottom"] >= glyphs["bottom"] - slack, (box, glyphs)
    # and not much more than the figure: a few pixels of air, a line's height
    assert box["right"] - box["left"] <= glyphs["right"] - glyphs["left"] + 10, (box, glyphs)
    assert box["bottom"] - box["top"] <= 2.5 * (glyphs["bottom"] - glyphs["top"]), (box, glyphs)


def test_a_pdf_upload_shows_the_page_with_a_box_on_the_flagged_figure(page, tmp_path: Path) -> None:
    data, drawn = upload(page, tmp_path)
    expect(page.locator("#pdf-pane")).to_be_visible()
    expect(page.locator("#pdf-sheet")).to_have_attribute("data-rendered", "1")
    expect(page.locator("#pdf-number")).to_have_text("第 1 / 2 页")

    item = page.locator(".finding-button", has_text="30%").filter(has_text="SHR001")
    expect(item).to_contain_text("第 1 页")  # a PDF finding says its page
    item.click()
    box = page.locator("#pdf-boxes .pdf-box.finding")
    expect(box).to_have_count(1)
    expect(box).to_have_class("pdf-box finding sev-error")
    expect(page.locator("#pdf-boxes .pdf-box.evidence")).to_have_count(2)  # 25万元 and 100万元

    encoded = base64.b64encode(data).decode()
    glyphs = page.evaluate(WHERE_PDFJS_DRAWS, [encoded, 1, "30%"])
    assert_over(overlay(page, "#pdf-boxes .pdf-box.finding"), glyphs)
    # and where the generator drew it, in points × the scale the page is shown at
    scale = float(page.locator("#pdf-sheet").get_attribute("data-scale"))
    x0, y0, x1, y1 = drawn_box(drawn[0], "30%")
    height = 841.89
    drawn_px = {"left": x0 * scale, "right": x1 * scale, "top": (height - y1) * scale, "bottom": (height - y0) * scale}
    assert_over(overlay(page, "#pdf-boxes .pdf-box.finding"), drawn_px)
    # the canvas has been painted: pixels under the box are not all white
    inked = page.evaluate(
        """() => {
          const c = document.getElementById("pdf-canvas");
          const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let dark = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark += 1;
          return dark;
        }"""
    )
    assert inked > 500
    path = screenshot(page, "review-pdf-page-1.png")
    assert path.stat().st_size > 10_000

    # page breaks are marked in the text view, and the text (so every offset) is as the service sent it
    expect(page.locator("#report .page-mark")).to_have_count(2)
    expect(page.locator('#report .page-mark[data-page="2"]')).to_have_count(1)
    body_text = page.evaluate("document.getElementById('report').textContent")
    assert body_text.startswith("一、支出决算情况说明") and "第 2 页" not in body_text

    # a finding on page 2 turns the view to page 2, its box on its figure there
    second = page.locator(".finding-button", has_text="60%").filter(has_text="SHR001")
    expect(second).to_contain_text("第 2 页")
    # the page first; the line is the extracted text's, named as such
    assert second.locator(".where").inner_text().startswith("第 2 页 · 文本第")
    second.click()
    expect(page.locator("#pdf-number")).to_have_text("第 2 / 2 页")
    expect(page.locator("#pdf-sheet")).to_have_attribute("data-rendered", "2")
    expect(page.locator("#pdf-boxes .pdf-box.finding")).to_have_count(1)
    assert_over(overlay(page, "#pdf-boxes .pdf-box.finding"), page.evaluate(WHERE_PDFJS_DRAWS, [encoded, 2, "60%"]))
    screenshot(page, "review-pdf-page-2.png")

    # the page controls, and a click on a box selects its finding
    page.locator("#pdf-prev").click()
    expect(page.locator("#pdf-number")).to_have_text("第 1 / 2 页")
    expect(page.locator("#pdf-prev")).to_be_disabled()
    page.locator("#pdf-boxes .pdf-box.other").first.click()
    expect(page.locator(".finding.selected")).to_have_count(1)
    expect(page.locator(".finding.selected")).to_contain_text("第 1 页")


def test_without_pdfjs_the_page_works_and_says_why(page, tmp_path: Path) -> None:
    page.route("**/static/vendor/pdfjs/**", lambda route: route.fulfill(status=404, body="not vendored"))
    upload(page, tmp_path)
    expect(page.locator("#pdf-message")).to_contain_text("pdf.js")
    expect(page.locator("#pdf-message")).to_contain_text("scripts/vendor-static")
    item = page.locator(".finding-button", has_text="60%").filter(has_text="SHR001")
    item.click()
    expect(page.locator("#report .sel", has_text="60%")).to_be_visible()  # the text view as before
    expect(page.locator('#report .page-mark[data-page="2"]')).to_have_count(1)


@pytest.mark.parametrize(("width", "height"), [(800, 900), (390, 844)])
def test_the_pdf_view_fits_a_narrow_screen(page, tmp_path: Path, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    upload(page, tmp_path)
    expect(page.locator("#pdf-sheet")).to_have_attribute("data-rendered", "1")
    page.locator(".finding-button", has_text="60%").filter(has_text="SHR001").click()
    expect(page.locator("#pdf-sheet")).to_have_attribute("data-rendered", "2")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    sheet = page.locator("#pdf-sheet").bounding_box()
    pane = page.locator("#pdf-scroll").bounding_box()
    assert sheet["width"] <= pane["width"] + 1  # scaled to the pane's width
    screenshot(page, f"review-pdf-{width}x{height}.png")
