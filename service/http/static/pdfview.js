// Tally review page: the PDF view. For a checked PDF file, the page itself beside the text view,
// rendered in the browser with pdf.js from the same bytes the user chose (the file is never kept
// on the server), with a box around the selected finding's figure and lighter boxes around its
// evidence; page breaks marked in the text view (第 N 页).
//
// app.js knows nothing of this module: it sends events on document and this module listens.
//   tally:report   {body, file}   a report is shown (file: the File checked, or null for text)
//   tally:rendered {report}       the text view was drawn again (the #report element)
//   tally:select   {index}        a finding was selected (index into body.findings; -1: none)
//   tally:evidence {index, k}     one of its evidence items was asked for
// and this module sends tally:pick {index} when a box on the page is clicked.
//
// Boxes come from the service: location.page (1-based) and location.box / location.boxes,
// [x0, y0, x1, y1] in PDF points with the origin bottom-left (PDF user space); pdf.js's viewport
// turns their corners into CSS pixels of the page shown (convertToViewportPoint: /Rotate and the crop box).
//
// pdf.js is vendored at build time (scripts/vendor-static, into /static/vendor/pdfjs/); when it
// is missing the view says why and the rest of the page works as before.

const VENDOR = "/static/vendor/pdfjs/";
const NO_PDFJS =
  "PDF 原页视图不可用：服务器上没有 pdf.js（构建时需运行 scripts/vendor-static，它要用 npm）。文字视图不受影响。";

const view = {
  body: null,
  file: null,
  pdf: null, // the pdf.js document
  task0: null, // its loading task, which frees it (destroy)
  loading: null, // the promise of the current load
  generation: 0, // bumps with every report, so that a late load of an older one is dropped
  page: 1,
  count: 0,
  selected: -1,
  flash: null, // [index, k]: the evidence item asked for last
  task: null, // the render task in progress
  pane: null,
  viewport: null,
};

let pdfjs = null; // the module, once imported
let pdfjsFailed = "";

async function loadPdfjs() {
  if (pdfjs || pdfjsFailed) return pdfjs;
  try {
    pdfjs = await import(VENDOR + "pdf.min.mjs");
    pdfjs.GlobalWorkerOptions.workerSrc = VENDOR + "pdf.worker.min.mjs";
  } catch (error) {
    pdfjsFailed = `${NO_PDFJS}（${error.message}）`;
    pdfjs = null;
  }
  return pdfjs;
}

function node(tag, attrs = {}, ...children) {
  const out = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") out.className = value;
    else if (key.startsWith("on")) out.addEventListener(key.slice(2), value);
    else out.setAttribute(key, value === true ? "" : value);
  }
  out.append(...children.filter((c) => c !== undefined && c !== null && c !== ""));
  return out;
}

// ---- the pane ----------------------------------------------------------------------------------

function pane() {
  if (view.pane) return view.pane;
  const report = document.getElementById("report");
  const split = node("div", { class: "pdf-split", id: "pdf-split" });
  report.replaceWith(split);
  const p = {
    split,
    root: node("section", { class: "pdf-pane", id: "pdf-pane", "aria-label": "PDF 原页", hidden: true }),
    prev: node("button", { type: "button", class: "button", id: "pdf-prev", "aria-label": "上一页", onclick: () => turn(-1) }, "‹ 上一页"),
    next: node("button", { type: "button", class: "button", id: "pdf-next", "aria-label": "下一页", onclick: () => turn(1) }, "下一页 ›"),
    number: node("span", { class: "pdf-number", id: "pdf-number", "aria-live": "polite" }),
    note: node("span", { class: "pdf-note", id: "pdf-note" }),
    scroll: node("div", { class: "pdf-scroll", id: "pdf-scroll" }),
    sheet: node("div", { class: "pdf-sheet", id: "pdf-sheet" }),
    canvas: node("canvas", { class: "pdf-canvas", id: "pdf-canvas" }),
    boxes: node("div", { class: "pdf-boxes", id: "pdf-boxes" }),
    message: node("p", { class: "pdf-message", id: "pdf-message", hidden: true }),
  };
  p.sheet.append(p.canvas, p.boxes);
  p.scroll.append(p.sheet);
  p.root.append(node("div", { class: "pdf-bar" }, p.prev, p.number, p.next, p.note), p.message, p.scroll);
  split.append(report, p.root);
  // scale to the pane's width: draw again when it changes (a window resized, the panel moved)
  let width = 0;
  new ResizeObserver(() => {
    const w = Math.floor(p.scroll.clientWidth);
    if (w && Math.abs(w - width) > 2 && view.pdf) {
      width = w;
      draw();
    }
  }).observe(p.scroll);
  view.pane = p;
  return p;
}

function say(text) {
  const p = pane();
  p.message.textContent = text;
  p.message.hidden = !text;
}

function pagesOf(body) {
  return (body && body.document && body.document.kind === "pdf" && body.document.pages) || [];
}

async function onReport({ body, file }) {
  view.generation += 1;
  const generation = view.generation;
  view.body = body;
  view.selected = -1;
  view.flash = null;
  const p = pane();
  if (view.task0) {
    view.task0.destroy();
    view.task0 = null;
    view.pdf = null;
  }
  const pages = pagesOf(body);
  const isPdf = pages.length > 0 && Boolean(file); // the service read the bytes as a PDF
  p.split.classList.toggle("with-pdf", Boolean(isPdf));
  p.root.hidden = !isPdf;
  if (!isPdf) return;
  view.file = file;
  view.page = 1;
  view.count = pages.length;
  p.boxes.replaceChildren();
  say("");
  update();
  const lib = await loadPdfjs();
  if (generation !== view.generation) return;
  if (!lib) {
    say(pdfjsFailed);
    p.scroll.hidden = true;
    return;
  }
  p.scroll.hidden = false;
  say("正在显示 PDF…");
  try {
    const data = new Uint8Array(await file.arrayBuffer());
    const loading = lib.getDocument({
      data,
      cMapUrl: VENDOR + "cmaps/",
      cMapPacked: true,
      standardFontDataUrl: VENDOR + "standard_fonts/",
      wasmUrl: VENDOR + "wasm/",
      iccUrl: VENDOR + "iccs/",
      isEvalSupported: false,
      enableXfa: false,
    });
    const pdf = await loading.promise;
    if (generation !== view.generation) {
      loading.destroy();
      return;
    }
    view.task0 = loading;
    view.pdf = pdf;
    view.count = pdf.numPages;
    say("");
    const chosen = view.selected >= 0 ? pageOf(view.selected) : 0;
    await show(chosen || 1);
  } catch (error) {
    if (generation === view.generation) say(`无法显示此 PDF：${error.message}`);
  }
}

function pageOf(index) {
  const f = view.body && view.body.findings[index];
  return (f && f.location && f.location.page) || 0;
}

function update() {
  const p = pane();
  p.number.textContent = `第 ${view.page} / ${view.count} 页`;
  p.prev.disabled = view.page <= 1;
  p.next.disabled = view.page >= view.count;
}

function turn(delta) {
  const to = Math.max(1, Math.min(view.count, view.page + delta));
  if (to !== view.page) show(to);
}

async function show(number) {
  view.page = number;
  update();
  await draw();
}

// ---- drawing -----------------------------------------------------------------------------------

async function draw() {
  const p = pane();
  if (!view.pdf) return;
  const number = view.page;
  const page = await view.pdf.getPage(number);
  if (number !== view.page) return;
  const width = p.scroll.clientWidth - 2 || 400;
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / base.width });
  const ratio = window.devicePixelRatio || 1;
  if (view.task) view.task.cancel();
  p.canvas.width = Math.floor(viewport.width * ratio);
  p.canvas.height = Math.floor(viewport.height * ratio);
  p.canvas.style.width = `${Math.floor(viewport.width)}px`;
  p.canvas.style.height = `${Math.floor(viewport.height)}px`;
  p.sheet.style.width = p.canvas.style.width;
  p.sheet.style.height = p.canvas.style.height;
  p.sheet.dataset.page = String(number);
  p.sheet.dataset.scale = String(viewport.scale);
  view.viewport = viewport;
  boxes();
  const task = page.render({
    canvas: p.canvas,
    canvasContext: p.canvas.getContext("2d"),
    viewport,
    transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
  });
  view.task = task;
  try {
    await task.promise;
    p.sheet.dataset.rendered = String(number);
  } catch (error) {
    if (error && error.name !== "RenderingCancelledException") say(`无法显示第 ${number} 页：${error.message}`);
  } finally {
    if (view.task === task) view.task = null;
  }
}

function rectangles(location) {
  if (!location || !view.viewport) return [];
  const list = location.boxes || (location.box ? [location.box] : []);
  return list.map((b) => {
    const [xa, ya] = view.viewport.convertToViewportPoint(b[0], b[1]);
    const [xb, yb] = view.viewport.convertToViewportPoint(b[2], b[3]);
    return { left: Math.min(xa, xb), top: Math.min(ya, yb), width: Math.abs(xb - xa), height: Math.abs(yb - ya) };
  });
}

function place(cls, location, attrs = {}) {
  const pad = 2; // a little air around the glyphs, so the box does not cut them
  return rectangles(location).map((r) =>
    node("div", {
      class: cls,
      style: `left:${r.left - pad}px;top:${r.top - pad}px;width:${r.width + 2 * pad}px;height:${r.height + 2 * pad}px`,
      ...attrs,
    }));
}

// the boxes on the page shown: the selected finding's (its severity's colour) and its evidence's
// (lighter), and a faint one for every other finding listed on this page (a click selects it)
function boxes() {
  const p = pane();
  const out = [];
  const findings = (view.body && view.body.findings) || [];
  findings.forEach((f, index) => {
    if (index === view.selected || !f.location || f.location.page !== view.page) return;
    if (!document.getElementById(`item-${index}`)) return; // filtered out of the list
    out.push(...place(`pdf-box other sev-${f.severity}`, f.location, {
      "data-index": String(index),
      title: `${f.code} ${f.message}`,
      onclick: () => document.dispatchEvent(new CustomEvent("tally:pick", { detail: { index } })),
    }));
  });
  const f = findings[view.selected];
  const elsewhere = new Set();
  if (f) {
    (f.evidence || []).forEach((e, k) => {
      const loc = e.location;
      if (!loc || !loc.page) return;
      if (loc.page !== view.page) {
        elsewhere.add(loc.page);
        return;
      }
      if (e.start === f.start && e.end === f.end) return; // the flagged figure itself
      const flash = view.flash && view.flash[0] === view.selected && view.flash[1] === k;
      out.push(...place(`pdf-box evidence${flash ? " flash" : ""}`, loc, { "data-evidence": String(k), title: e.role }));
    });
    if (f.location && f.location.page === view.page) {
      out.push(...place(`pdf-box finding sev-${f.severity}`, f.location, { "data-index": String(view.selected), title: `${f.code} ${f.message}` }));
    }
  }
  p.boxes.replaceChildren(...out);
  elsewhere.delete(view.page);
  p.note.textContent = elsewhere.size ? `所用数字另见第 ${[...elsewhere].sort((a, b) => a - b).join("、")} 页` : "";
  const target = p.boxes.querySelector(".pdf-box.finding") || p.boxes.querySelector(".pdf-box.evidence.flash");
  if (target) target.scrollIntoView({ block: "nearest" });
}

async function onSelect({ index }) {
  view.selected = index;
  view.flash = null;
  if (!view.body || !pagesOf(view.body).length) return;
  const page = pageOf(index);
  if (view.pdf && page && page !== view.page) await show(page);
  else if (view.viewport) boxes();
  else if (page) {
    view.page = page;
    update();
  }
}

async function onEvidence({ index, k }) {
  const f = view.body && view.body.findings[index];
  const loc = f && f.evidence[k] && f.evidence[k].location;
  view.flash = [index, k];
  if (view.pdf && loc && loc.page && loc.page !== view.page) await show(loc.page);
  else if (view.viewport) boxes();
}

// ---- page breaks in the text view --------------------------------------------------------------

// A mark before the first character of every page (第 N 页), put between the text's nodes so that
// the text itself, and so every offset, stays as it was: the label is CSS content, not text.
function markPages({ report }) {
  const pages = pagesOf(view.body);
  if (!pages.length || !report) return;
  const starts = pages.map((p) => [p.start, p.number]);
  let at = 0; // code points before the current child
  let next = 0;
  let child = report.firstChild;
  while (child && next < starts.length) {
    const text = child.textContent;
    const length = Array.from(text).length;
    const [start, number] = starts[next];
    if (start >= at + length && child.nextSibling) {
      at += length;
      child = child.nextSibling;
      continue;
    }
    let before = child;
    if (child.nodeType === Node.TEXT_NODE && start > at && start < at + length) {
      const units = Array.from(text).slice(0, start - at).join("").length;
      before = child.splitText(units);
      at = start;
      child = before;
    } else if (start >= at + length) {
      before = null; // past the last node: at the end
    }
    const previous = (before ? before.previousSibling : report.lastChild);
    const atLineStart = start === 0 || (previous && /\n$/.test(previous.textContent));
    const mark = node("span", {
      class: `page-mark${atLineStart ? " line" : ""}`,
      "data-page": String(number),
      role: "button",
      tabindex: "-1",
      title: `转到 PDF 第 ${number} 页`,
      onclick: () => view.pdf && show(number),
    });
    report.insertBefore(mark, before);
    next += 1;
  }
}

document.addEventListener("tally:report", (event) => onReport(event.detail));
document.addEventListener("tally:rendered", (event) => markPages(event.detail));
document.addEventListener("tally:select", (event) => onSelect(event.detail));
document.addEventListener("tally:evidence", (event) => onEvidence(event.detail));
