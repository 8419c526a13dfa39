// Tally review page: send the text or file to POST /v1/check, show the findings on the text.
// Offsets from the service are Unicode code points; JavaScript strings are UTF-16, so the
// text is handled as an array of code points (Array.from) and sliced by those offsets.
"use strict";

const SEVERITIES = [
  { key: "error", label: "错误", marker: "✖" },
  { key: "warning", label: "警告", marker: "▲" },
  { key: "info", label: "提示", marker: "●" },
];
const SEVERITY = Object.fromEntries(SEVERITIES.map((s, rank) => [s.key, { ...s, rank }]));
const FAMILIES = ["SUM", "SHR", "CHG", "CMP", "EQV", "UNIT", "RND", "ENT", "PER", "SCO", "DIR", "ACT", "TBL"];
const ROLES = {
  part: "分项", whole: "总数", total: "合计", "total-bound": "合计上限", share: "占比", rate: "比率",
  current: "本年", previous: "上年", change: "变动额", actual: "实际", target: "目标", stated: "所述",
  "other-statement": "另处所述", owner: "所属单位", "reporting-unit": "报告单位", subject: "主体",
  "self-reference": "自称", date: "日期", "other-date": "另处日期", name: "名称", "other-name": "另处名称",
  activity: "所述事项", expense: "相关支出", budget: "预算", prior: "上年", count: "所述个数", item: "所列项",
  fund: "资金", scope: "范围", "title-fund": "标题所述资金", "title-name": "标题名称", "other-target": "另一目标",
  placeholder: "占位文字", remaining: "未完成部分", difference: "差额",
  "listed-part": "合计所列分项", description: "用途", "other-description": "另项用途",
};
const CSV_COLUMNS = ["code", "name", "severity", "section", "line", "text", "message", "suggestion", "start", "end"];
const FILE_KINDS = { txt: "text", docx: "docx", pdf: "pdf" };

const state = {
  body: null, // the /v1/check response
  chars: [], // the checked text as code points
  file: null, // a chosen .docx or .pdf, sent as multipart/form-data
  filename: "",
  severities: new Set(SEVERITIES.map((s) => s.key)),
  families: new Set(FAMILIES),
  selected: -1, // index into state.body.findings
  segments: new Map(), // finding index -> {main: [elements], evidence: [[elements], …]}
};

const $ = (id) => document.getElementById(id);
// the PDF view (pdfview.js) follows the page through these events: tally:report, tally:rendered,
// tally:select, tally:evidence; it sends tally:pick when a box on the PDF page is clicked
const emit = (name, detail) => document.dispatchEvent(new CustomEvent(`tally:${name}`, { detail }));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== "") node.append(child);
  }
  return node;
}

function family(code) {
  const match = /^[A-Z]+/.exec(code || "");
  return match ? match[0] : "";
}

function visible(finding) {
  const fam = family(finding.code);
  return state.severities.has(finding.severity) && (state.families.has(fam) || !FAMILIES.includes(fam));
}

function visibleFindings() {
  if (!state.body) return [];
  return state.body.findings.map((finding, index) => ({ finding, index })).filter(({ finding }) => visible(finding));
}

// ---- input ---------------------------------------------------------------------------------

function extension(name) {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}

async function readTextFile(file) {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes); // Chinese offices still save GB18030 text
  }
}

async function chooseFile(file) {
  clearError();
  const kind = FILE_KINDS[extension(file.name)];
  if (!kind) {
    showError(`不支持的文件类型：${file.name}。请选择 .txt、.docx 或 .pdf 文件。`);
    return;
  }
  if (kind === "text") {
    $("text").value = await readTextFile(file);
    setFile(null);
    state.filename = file.name;
    setStatus(`已读入 ${file.name}，按“检查”开始。`);
  } else {
    setFile(file);
    setStatus(`已选择 ${file.name}，文字将由服务器提取。按“检查”开始。`);
  }
  $("check").focus();
}

function setFile(file) {
  state.file = file;
  $("file-chip").hidden = !file;
  $("file-name").textContent = file ? file.name : "";
  $("text").disabled = Boolean(file);
  if (!file) $("file").value = "";
}

// ---- checking ------------------------------------------------------------------------------

// A service started with TALLY_API_KEY answers 401 without the key: ask for it once, send it as
// X-API-Key, and keep it for this tab only (sessionStorage); a key that is refused is forgotten.
const API_KEY = "tally.apiKey";

async function apiFetch(url, request) {
  const send = () => {
    const key = sessionStorage.getItem(API_KEY);
    return fetch(url, { ...request, headers: { ...request.headers, ...(key ? { "X-API-Key": key } : {}) } });
  };
  let response = await send();
  if (response.status === 401) {
    const key = (window.prompt("此服务需要 API 密钥，请输入：") || "").trim();
    sessionStorage.removeItem(API_KEY);
    if (key) {
      sessionStorage.setItem(API_KEY, key);
      response = await send();
      if (response.status === 401) sessionStorage.removeItem(API_KEY);
    }
  }
  return response;
}

async function runCheck() {
  clearError();
  let request;
  let sent = "";
  const file = state.file;
  if (file) {
    const form = new FormData();
    form.append("file", file, file.name);
    request = { method: "POST", body: form };
  } else {
    const text = $("text").value;
    if (!text.trim()) {
      showError("请先粘贴报告文本，或选择一个文件。");
      return;
    }
    sent = text;
    request = {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ text, options: { include: ["claims"] } }),
    };
  }
  setStatus("正在检查…");
  $("check").disabled = true;
  try {
    const response = await apiFetch("/v1/check", request);
    const body = await response.json().catch(() => null);
    if (!response.ok || !body || !Array.isArray(body.findings)) {
      const message = body && body.error && body.error.message;
      showError(message || `检查失败：服务器返回 ${response.status} ${response.statusText}`);
      setStatus("");
      return;
    }
    const text = body.document && typeof body.document.text === "string" ? body.document.text : sent;
    show(body, text, file ? file.name : state.filename);
  } catch (error) {
    showError(`无法连接服务：${error.message}`);
    setStatus("");
  } finally {
    $("check").disabled = false;
  }
}

function show(body, text, filename) {
  state.body = body;
  state.chars = Array.from(text);
  state.filename = (body.document && body.document.filename) || filename || "";
  state.selected = -1;
  emit("report", { body, file: state.file });
  renderCounts();
  renderFilters();
  render();
  $("input-form").hidden = true;
  $("report-view").hidden = false;
  $("panel").hidden = false;
  $("report-title").textContent = state.filename ? `报告全文 · ${state.filename}` : "报告全文";
  const n = body.findings.length;
  setStatus(n ? `检查完成：发现 ${n} 个问题。` : "检查完成：未发现问题。");
  $("report").scrollTop = 0;
}

// ---- rendering -----------------------------------------------------------------------------

function renderCounts() {
  const { findings, coverage = {} } = state.body;
  const tally = { error: 0, warning: 0, info: 0 };
  for (const f of findings) tally[f.severity] = (tally[f.severity] || 0) + 1;
  for (const s of SEVERITIES) $(`count-${s.key}`).textContent = tally[s.key];
  $("count-checked").textContent = coverage.checked_total ?? "—";
  const unit = coverage.names && coverage.names.reporting_unit && coverage.names.reporting_unit.name;
  $("unit-item").hidden = !unit;
  $("unit-name").textContent = unit || "";
  $("counts").hidden = false;
}

function renderFilters() {
  const findings = state.body.findings;
  const severityBox = $("severity-filters");
  severityBox.replaceChildren(
    ...SEVERITIES.map((s) => {
      const n = findings.filter((f) => f.severity === s.key).length;
      return chip(`sev-${s.key}`, s.key, `${s.marker} ${s.label} ${n}`, state.severities, n === 0);
    }),
  );
  const familyBox = $("family-filters");
  familyBox.replaceChildren(
    ...FAMILIES.map((fam) => {
      const n = findings.filter((f) => family(f.code) === fam).length;
      return chip("", fam, `${fam} ${n}`, state.families, n === 0);
    }),
  );
}

function chip(cls, key, text, set, empty) {
  const input = el("input", {
    type: "checkbox",
    checked: set.has(key),
    onchange: (event) => {
      if (event.target.checked) set.add(key);
      else set.delete(key);
      render();
    },
  });
  return el("label", { class: `chip ${cls}${empty ? " empty" : ""}` }, input, text);
}

function render() {
  renderText();
  renderList();
  const selected = state.selected;
  state.selected = -1;
  if (selected >= 0 && visible(state.body.findings[selected])) select(selected, { scroll: false, focus: false });
}

// Split the text at every boundary of a visible finding or of its evidence; each piece knows
// which findings cover it, so overlapping findings stay correct.
function renderText() {
  const chars = state.chars;
  const shown = visibleFindings();
  const cuts = new Set([0, chars.length]);
  const clamp = (n) => Math.max(0, Math.min(chars.length, n));
  for (const { finding } of shown) {
    cuts.add(clamp(finding.start));
    cuts.add(clamp(finding.end));
    for (const e of finding.evidence || []) {
      cuts.add(clamp(e.start));
      cuts.add(clamp(e.end));
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  state.segments = new Map(shown.map(({ index, finding }) => [index, {
    main: [], evidence: (finding.evidence || []).map(() => []),
  }]));
  for (let i = 0; i + 1 < points.length; i += 1) {
    const a = points[i];
    const b = points[i + 1];
    const piece = chars.slice(a, b).join("");
    const inMain = shown.filter(({ finding }) => finding.start <= a && b <= finding.end);
    const inEvidence = [];
    for (const { finding, index } of shown) {
      (finding.evidence || []).forEach((e, k) => {
        if (e.start <= a && b <= e.end) inEvidence.push([index, k]);
      });
    }
    if (!inMain.length && !inEvidence.length) {
      fragment.append(piece);
      continue;
    }
    const span = el("span", { class: "hl" }, piece);
    if (inMain.length) {
      const worst = inMain.reduce((x, y) => (SEVERITY[y.finding.severity].rank < SEVERITY[x.finding.severity].rank ? y : x));
      span.classList.add(`f-${worst.finding.severity}`);
      span.dataset.finding = String(inMain[0].index);
      const starting = inMain.filter(({ finding }) => finding.start === a);
      if (starting.length) {
        const first = starting[0];
        span.id = `f-${first.index}`;
        span.tabIndex = -1;
        span.dataset.marker = starting.map(({ finding }) => SEVERITY[finding.severity].marker).join("");
        span.title = starting.map(({ finding }) => `${finding.code} ${finding.message}`).join("\n");
      }
      for (const { index } of inMain) state.segments.get(index).main.push(span);
    }
    if (inEvidence.length) {
      span.classList.add("ev");
      if (!span.dataset.finding) span.dataset.finding = String(inEvidence[0][0]);
      for (const [index, k] of inEvidence) state.segments.get(index).evidence[k].push(span);
    }
    fragment.append(span);
  }
  $("report").replaceChildren(fragment);
  emit("rendered", { report: $("report") });
}

function renderList() {
  const shown = visibleFindings();
  $("shown-count").textContent = `显示 ${shown.length} / ${state.body.findings.length} 条`;
  const groups = new Map();
  for (const item of shown) {
    const section = item.finding.section || "";
    if (!groups.has(section)) groups.set(section, []);
    groups.get(section).push(item);
  }
  const box = $("findings");
  if (!shown.length) {
    const none = state.body.findings.length ? "当前筛选下没有问题。" : "未发现问题。";
    box.replaceChildren(el("p", { class: "empty-note" }, none));
    return;
  }
  box.replaceChildren(
    ...[...groups].map(([section, items]) =>
      el("section", { class: "group" },
        el("h2", {}, section || "（无章节标题）"),
        el("ol", {}, items.map(({ finding, index }) => findingItem(finding, index))))),
  );
}

function placeOf(finding) {
  const loc = finding.location;
  if (!loc) return "";
  const parts = [];
  if (loc.page !== undefined) parts.push(`第 ${loc.page} 页`);
  // a standard table's cell: its title, row and column (as text); a Word table's: numbers
  if (typeof loc.table === "string") parts.push(`${loc.table} · ${loc.row} · ${loc.column}`);
  else if (loc.table !== undefined) parts.push(`表 ${loc.table} 第 ${loc.row} 行第 ${loc.cell} 格`);
  if (loc.paragraph !== undefined && !parts.length) parts.push(`第 ${loc.paragraph} 段`);
  return parts.join(" · ");
}

function findingItem(finding, index) {
  const sev = SEVERITY[finding.severity] || SEVERITY.info;
  const where = [finding.line ? `第 ${finding.line} 行` : "", placeOf(finding)].filter(Boolean).join(" · ");
  const button = el("button", {
    type: "button",
    class: "finding-button",
    id: `item-${index}`,
    "aria-expanded": "false",
    "aria-controls": `evidence-${index}`,
    onclick: () => select(index, { scroll: true, focus: true }),
  },
  el("span", { class: "finding-head" },
    el("span", { class: `badge sev-${sev.key}` }, `${sev.marker} ${sev.label}`),
    el("code", { class: "code" }, finding.code),
    el("span", { class: "name" }, finding.name),
    el("span", { class: "where" }, where)),
  el("q", { class: "quote" }, finding.text),
  el("span", { class: "message" }, finding.message),
  finding.suggestion ? el("span", { class: "suggestion" }, `建议：${finding.suggestion}`) : "");
  const evidence = el("div", { class: "evidence", id: `evidence-${index}`, hidden: true },
    el("h3", {}, "所用数字"),
    el("ul", {}, (finding.evidence || []).map((e, k) =>
      el("li", {},
        el("button", {
          type: "button",
          class: "evidence-button",
          onclick: () => scrollToEvidence(index, k),
        },
        el("span", { class: "role" }, `${ROLES[e.role] || e.role}`),
        el("span", { class: "role-key" }, e.role),
        el("span", { class: "figure" }, e.text))))));
  return el("li", { class: `finding sev-${sev.key}`, "data-index": String(index) }, button, evidence);
}

// ---- selection -----------------------------------------------------------------------------

function clearSelection() {
  const previous = state.selected;
  if (previous < 0) return;
  const segments = state.segments.get(previous);
  if (segments) {
    for (const span of segments.main) span.classList.remove("sel");
    for (const spans of segments.evidence) {
      for (const span of spans) {
        span.classList.remove("ev-sel");
        delete span.dataset.role;
      }
    }
  }
  const item = $(`item-${previous}`);
  if (item) {
    item.setAttribute("aria-expanded", "false");
    item.parentElement.classList.remove("selected");
    $(`evidence-${previous}`).hidden = true;
  }
  state.selected = -1;
}

function select(index, { scroll, focus }) {
  clearSelection();
  const segments = state.segments.get(index);
  if (!segments) return;
  state.selected = index;
  const finding = state.body.findings[index];
  for (const span of segments.main) span.classList.add("sel");
  segments.evidence.forEach((spans, k) => {
    for (const span of spans) span.classList.add("ev-sel");
    const e = finding.evidence[k];
    if (spans.length && !(e.start === finding.start && e.end === finding.end)) {
      spans[spans.length - 1].dataset.role = ROLES[e.role] || e.role; // the flagged figure needs no label
    }
  });
  const item = $(`item-${index}`);
  item.setAttribute("aria-expanded", "true");
  item.parentElement.classList.add("selected");
  $(`evidence-${index}`).hidden = false;
  const target = $(`f-${index}`) || segments.main[0];
  if (scroll && target) target.scrollIntoView({ block: "center" });
  if (focus && target) target.focus({ preventScroll: true });
  item.scrollIntoView({ block: "nearest" });
  emit("select", { index });
}

function scrollToEvidence(index, k) {
  emit("evidence", { index, k });
  const spans = state.segments.get(index).evidence[k];
  if (!spans.length) return;
  spans[0].scrollIntoView({ block: "center" });
  for (const span of spans) {
    span.classList.remove("flash");
    void span.offsetWidth; // restart the animation
    span.classList.add("flash");
  }
}

function step(delta) {
  const shown = visibleFindings();
  if (!shown.length) return;
  const at = shown.findIndex(({ index }) => index === state.selected);
  const next = at < 0 ? (delta > 0 ? 0 : shown.length - 1) : (at + delta + shown.length) % shown.length;
  select(shown[next].index, { scroll: true, focus: false });
  $(`item-${shown[next].index}`).focus();
}

// ---- export --------------------------------------------------------------------------------

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function baseName() {
  const name = state.filename.replace(/\.[^.]*$/, "");
  return name ? `${name}.findings` : "tally-findings";
}

function exportJson() {
  const body = state.body;
  const doc = body.document ? { kind: body.document.kind, filename: body.document.filename } : undefined;
  const out = {
    api_version: body.api_version,
    document: doc,
    findings: visibleFindings().map(({ finding }) => finding),
    coverage: body.coverage,
  };
  download(`${baseName()}.json`, "application/json;charset=utf-8", JSON.stringify(out, null, 2) + "\n");
}

function csvField(value) {
  let text = value === undefined || value === null ? "" : String(value);
  // a text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR) starts with '
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function exportCsv() {
  const rows = [CSV_COLUMNS, ...visibleFindings().map(({ finding }) => CSV_COLUMNS.map((c) => finding[c]))];
  const csv = rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
  download(`${baseName()}.csv`, "text/csv;charset=utf-8", "\uFEFF" + csv); // BOM: Excel reads UTF-8
}

// ---- status --------------------------------------------------------------------------------

function setStatus(text) {
  $("status").textContent = text;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

function editText() {
  $("input-form").hidden = false;
  $("report-view").hidden = true;
  $("text").focus();
}

// ---- wiring --------------------------------------------------------------------------------

function wire() {
  $("input-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runCheck();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (!$("input-form").hidden) runCheck();
      return;
    }
    const typing = /^(TEXTAREA|INPUT)$/.test(document.activeElement.tagName);
    if (typing || event.ctrlKey || event.metaKey || event.altKey || !state.body) return;
    if (event.key === "n" || event.key === "j") step(1);
    else if (event.key === "p" || event.key === "k") step(-1);
  });
  $("file").addEventListener("change", (event) => {
    if (event.target.files.length) chooseFile(event.target.files[0]);
  });
  $("file-clear").addEventListener("click", () => {
    setFile(null);
    setStatus("");
    $("text").focus();
  });
  $("edit").addEventListener("click", editText);
  $("export-json").addEventListener("click", exportJson);
  $("export-csv").addEventListener("click", exportCsv);
  document.addEventListener("tally:pick", (event) => select(event.detail.index, { scroll: true, focus: false }));
  $("report").addEventListener("click", (event) => {
    const span = event.target.closest(".hl[data-finding]");
    if (span) select(Number(span.dataset.finding), { scroll: false, focus: false });
  });
  const doc = $("doc");
  doc.addEventListener("dragover", (event) => {
    event.preventDefault();
    doc.classList.add("dragging");
  });
  doc.addEventListener("dragleave", (event) => {
    if (!doc.contains(event.relatedTarget)) doc.classList.remove("dragging");
  });
  doc.addEventListener("drop", (event) => {
    event.preventDefault();
    doc.classList.remove("dragging");
    const file = event.dataTransfer.files[0];
    if (!file) return;
    editTextIfReport();
    chooseFile(file);
  });
}

function editTextIfReport() {
  if ($("input-form").hidden) editText();
}

document.addEventListener("DOMContentLoaded", wire);
