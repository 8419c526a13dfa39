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
  current: "本年", change: "变动额", actual: "实际", target: "目标", stated: "所述",
  "other-statement": "另处所述", owner: "所属单位", "reporting-unit": "报告单位", subject: "主体",
  "self-reference": "自称", date: "日期", "other-date": "另处日期", name: "名称", "other-name": "另处名称",
  activity: "所述事项", expense: "相关支出", budget: "预算", prior: "上年", count: "所述个数", item: "所列项",
  fund: "资金", scope: "范围", "title-fund": "标题所述资金", "title-name": "标题名称", "other-target": "另一目标",
  placeholder: "占位文字", remaining: "未完成部分", difference: "差额", period: "期间", score: "得分", weight: "分值",
  "listed-part": "合计所列分项", description: "用途", "other-description": "另项用途",
};
const CSV_COLUMNS = [
  "code", "name", "severity", "section", "line", "page", "table", "row", "column",
  "text", "message", "suggestion", "start", "end",
];
// a dismissal's reason, as in a baseline file (common contract): 误报 | 已知 | 已改 | null
const DISMISS_REASONS = ["误报", "已知", "已改"];
const DISMISS_KEY = "tally.dismissed"; // localStorage: fingerprint -> {reason, code, text, file, at}
// what a claim kind is and why a claim was left unchecked (coverage.unchecked "<kind>: <reason>",
// claim.note), in Chinese: patterns/unchecked.toml, served as /wording.js, the words the CLI and
// the Word export use too
const WORDING = window.TALLY_WORDING || { kinds: {}, reasons: {} };
const CLAIM_KINDS = WORDING.kinds;
const UNCHECKED_REASONS = WORDING.reasons;
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
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
  dismissed: {}, // fingerprint -> {reason, code, text, file, at}, kept in localStorage
  showDismissed: false, // dismissed findings are hidden unless asked for
  undo: [], // fingerprints dismissed in this tab, newest last (the u key)
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
  if (isDismissed(finding) && !state.showDismissed) return false;
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
      showError(errorMessage(body, `检查失败：服务器返回 ${response.status} ${response.statusText}`));
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
  renderCoverage();
  render();
  $("input-form").hidden = true;
  $("report-view").hidden = false;
  $("panel").hidden = false;
  document.body.classList.add("has-report");
  document.body.classList.remove("editing");
  showFilename();
  setStatus(doneMessage());
  $("report").scrollTop = 0;
}

// ---- rendering -----------------------------------------------------------------------------

function renderCounts() {
  const { coverage = {} } = state.body;
  const findings = openFindings();
  const tally = { error: 0, warning: 0, info: 0 };
  for (const f of findings) tally[f.severity] = (tally[f.severity] || 0) + 1;
  for (const s of SEVERITIES) $(`count-${s.key}`).textContent = tally[s.key];
  $("count-checked").textContent = coverage.checked_total ?? "—";
  $("count-unchecked").textContent = String(uncheckedTotal());
  renderDismissedCount();
  const unit = coverage.names && coverage.names.reporting_unit && coverage.names.reporting_unit.name;
  $("unit-item").hidden = !unit;
  $("unit-name").textContent = unit || "";
  $("counts").hidden = false;
}

function renderFilters() {
  const findings = openFindings();
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
      const open = inMain.filter(({ finding }) => !isDismissed(finding));
      const worst = (open.length ? open : inMain).reduce((x, y) => (SEVERITY[y.finding.severity].rank < SEVERITY[x.finding.severity].rank ? y : x));
      span.classList.add(open.length ? `f-${worst.finding.severity}` : "f-dismissed");
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
  $("shown-count").textContent = `显示 ${shown.length} / ${openFindings().length} 条`;
  const groups = new Map();
  for (const item of shown) {
    const section = item.finding.section || "";
    if (!groups.has(section)) groups.set(section, []);
    groups.get(section).push(item);
  }
  const box = $("findings");
  if (!shown.length) {
    box.replaceChildren(emptyNote());
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
  const dismissal = isDismissed(finding) ? state.dismissed[finding.fingerprint] : null;
  const title = finding.title || finding.name;
  // a file's own place first (第 3 页, a table's row and column); the line is the extracted text's
  const place = placeOf(finding);
  const line = finding.line ? (place ? `文本第 ${finding.line} 行` : `第 ${finding.line} 行`) : "";
  const where = [place, line].filter(Boolean).join(" · ");
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
    el("span", { class: "title" }, title),
    title !== finding.name ? el("span", { class: "name" }, finding.name) : "",
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
  return el("li", {
    class: `finding sev-${sev.key}${dismissal ? " dismissed" : ""}`,
    "data-index": String(index),
    "data-fingerprint": finding.fingerprint,
  }, button, dismissBar(finding, dismissal), evidence);
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
  return `${stem() || "tally"}${stem() ? "." : "-"}findings`;
}

function stem() {
  return (state.filename || "").replace(/\.[^.]*$/, "");
}

function exportJson() {
  const body = state.body;
  const doc = body.document ? { kind: body.document.kind, filename: body.document.filename } : undefined;
  const out = {
    api_version: body.api_version,
    document: doc,
    findings: exportedFindings(),
    coverage: { ...body.coverage, ignored: (body.coverage.ignored || 0) + body.findings.length - openFindings().length },
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
  const rows = [CSV_COLUMNS, ...exportedFindings().map((finding) => CSV_COLUMNS.map((c) => csvValue(finding, c)))];
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
  // the text checked goes back into the box to be edited (a file's extracted text too); what is
  // checked next is that text, not the file, so it no longer carries the file's name
  if (state.body) {
    $("text").value = state.chars.join("");
    setFile(null);
    forgetFilename();
  }
  $("input-form").hidden = false;
  $("report-view").hidden = true;
  document.body.classList.add("editing");
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
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "?") {
      event.preventDefault();
      openHelp();
      return;
    }
    if (!state.body || $("help").open) return;
    if (event.key === "n" || event.key === "j") step(1);
    else if (event.key === "p" || event.key === "k") step(-1);
    else if (DISMISS_REASONS[Number(event.key) - 1] && state.selected >= 0) {
      dismiss(state.body.findings[state.selected], DISMISS_REASONS[Number(event.key) - 1]);
    } else if (event.key === "u") undoLast();
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
  wireReviewer();
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

// ---- the reviewer's day: dismissals, coverage, Word export, help -------------------------------
// Dismissals live in this browser only (localStorage), keyed by the finding's fingerprint, which
// the service keeps stable across edits elsewhere in the text; nothing is stored on the server.

const DEFAULT_TITLE = "Tally · 财政报告一致性检查";

function loadDismissed() {
  try {
    const stored = JSON.parse(localStorage.getItem(DISMISS_KEY) || "{}");
    return stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
  } catch {
    return {};
  }
}

function saveDismissed() {
  try {
    localStorage.setItem(DISMISS_KEY, JSON.stringify(state.dismissed));
  } catch (error) {
    showError(`无法在本浏览器中保存忽略记录：${error.message}`);
  }
}

function isDismissed(finding) {
  return Boolean(finding && finding.fingerprint && Object.hasOwn(state.dismissed, finding.fingerprint));
}

// the findings not dismissed: what the counts, the exports and the filters describe
function openFindings() {
  return state.body ? state.body.findings.filter((f) => !isDismissed(f)) : [];
}

function exportedFindings() {
  return visibleFindings().map(({ finding }) => finding).filter((f) => !isDismissed(f));
}

function nowIso() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function dismiss(finding, reason) {
  if (!finding || !finding.fingerprint) return;
  const before = visibleFindings();
  const at = before.findIndex(({ finding: f }) => f === finding);
  const wasSelected = state.selected >= 0 && state.body.findings[state.selected] === finding;
  state.dismissed = loadDismissed(); // another tab may have changed them
  state.dismissed[finding.fingerprint] = {
    reason, code: finding.code, text: finding.text, file: state.filename || null, at: nowIso(),
  };
  saveDismissed();
  state.undo.push(finding.fingerprint);
  if (wasSelected && !state.showDismissed) state.selected = -1;
  refresh();
  setStatus(`已忽略 ${finding.code}“${finding.text}”（${reason}）。按 u 或点“撤销”可恢复。`);
  if (wasSelected && !state.showDismissed) {
    const after = visibleFindings();
    const next = after[Math.min(at, after.length - 1)];
    if (next) {
      select(next.index, { scroll: true, focus: false });
      $(`item-${next.index}`).focus();
    }
  }
}

function undismiss(fingerprint) {
  state.dismissed = loadDismissed();
  const entry = state.dismissed[fingerprint];
  if (!entry) return;
  delete state.dismissed[fingerprint];
  saveDismissed();
  state.undo = state.undo.filter((fp) => fp !== fingerprint);
  refresh();
  setStatus(`已恢复 ${entry.code || ""}“${entry.text || ""}”。`);
  const index = state.body ? state.body.findings.findIndex((f) => f.fingerprint === fingerprint) : -1;
  if (index >= 0 && $(`item-${index}`)) $(`item-${index}`).focus();
}

function undoLast() {
  while (state.undo.length) {
    const fingerprint = state.undo.pop();
    if (Object.hasOwn(state.dismissed, fingerprint)) {
      undismiss(fingerprint);
      return;
    }
  }
  setStatus("没有可撤销的忽略。");
}

function refresh() {
  if (!state.body) return;
  renderCounts();
  renderFilters();
  render();
}

function dismissBar(finding, dismissal) {
  if (!finding.fingerprint) return "";
  if (dismissal) {
    return el("div", { class: "dismiss-bar" },
      el("span", { class: "dismissed-tag" }, `已忽略 · ${dismissal.reason || "基线"}`),
      el("button", {
        type: "button", class: "mini undo", "aria-label": `撤销忽略 ${finding.code}`,
        onclick: () => undismiss(finding.fingerprint),
      }, "撤销"));
  }
  return el("div", { class: "dismiss-bar" },
    el("span", { class: "dismiss-label" }, "忽略为"),
    DISMISS_REASONS.map((reason, k) => el("button", {
      type: "button", class: "mini", "data-reason": reason, title: `忽略为${reason}（快捷键 ${k + 1}）`,
      "aria-label": `忽略为${reason}`, onclick: () => dismiss(finding, reason),
    }, reason)));
}

function renderDismissedCount() {
  const n = state.body ? state.body.findings.length - openFindings().length : 0;
  const toggle = $("toggle-dismissed");
  toggle.hidden = n === 0;
  if (n === 0) state.showDismissed = false;
  $("dismissed-count").textContent = `已忽略 ${n} 条`;
  $("toggle-dismissed-label").textContent = state.showDismissed ? "隐藏" : "显示";
  toggle.setAttribute("aria-pressed", String(state.showDismissed));
}

function toggleDismissed() {
  state.showDismissed = !state.showDismissed;
  refresh();
}

function baselineFile() {
  const findings = state.body ? state.body.findings.filter(isDismissed) : [];
  return {
    tally_baseline: 1,
    created: nowIso(),
    findings: findings.map((f) => {
      const d = state.dismissed[f.fingerprint];
      return { fingerprint: f.fingerprint, code: f.code, text: f.text, reason: d.reason ?? null, file: d.file ?? (state.filename || null) };
    }),
  };
}

function exportBaseline() {
  const baseline = baselineFile();
  if (!baseline.findings.length) {
    setStatus("本报告还没有已忽略的问题，没有可导出的忽略记录。");
    return;
  }
  download(`${stem() || "tally"}.baseline.json`, "application/json;charset=utf-8", JSON.stringify(baseline, null, 2) + "\n");
  setStatus(`已导出 ${baseline.findings.length} 条忽略记录。命令行可用 --baseline 读取此文件。`);
}

async function importBaseline(file) {
  clearError();
  let data;
  try {
    data = JSON.parse(await file.text());
  } catch {
    showError(`无法读取 ${file.name}：不是有效的 JSON 文件。`);
    return;
  }
  if (!data || typeof data !== "object" || !Array.isArray(data.findings)) {
    showError(`${file.name} 不是基线文件：缺少 findings 列表。`);
    return;
  }
  const text = (value) => (typeof value === "string" ? value : null);
  state.dismissed = loadDismissed();
  let added = 0;
  for (const item of data.findings) {
    const fingerprint = item && typeof item.fingerprint === "string" ? item.fingerprint.trim() : "";
    if (!fingerprint) continue;
    if (!Object.hasOwn(state.dismissed, fingerprint)) added += 1;
    state.dismissed[fingerprint] = {
      reason: DISMISS_REASONS.includes(item.reason) ? item.reason : null,
      code: text(item.code), text: text(item.text), file: text(item.file), at: nowIso(),
      ...state.dismissed[fingerprint], // a dismissal made here keeps its own reason
    };
  }
  saveDismissed();
  refresh();
  const here = state.body ? state.body.findings.filter(isDismissed).length : 0;
  setStatus(`已从 ${file.name} 导入 ${data.findings.length} 条忽略记录（新增 ${added} 条）；本报告中已忽略 ${here} 条。`);
}

function csvValue(finding, column) {
  const loc = finding.location || {};
  if (column === "page" || column === "table" || column === "row") return loc[column];
  if (column === "column") return loc.column ?? loc.cell;
  return finding[column];
}

function errorMessage(body, fallback) {
  const error = body && body.error;
  return (error && (error.message_zh || error.message)) || fallback;
}

async function exportDocx() {
  clearError();
  const button = $("export-docx");
  button.disabled = true;
  setStatus("正在生成 Word 文档…");
  try {
    const dismissed = state.body.findings.filter(isDismissed).map((f) => f.fingerprint);
    // a pasted text's report has no document: send the text as a .txt's would be, so the Word
    // file can quote each sentence and read the report's title
    const report = state.body.document
      ? state.body
      : { ...state.body, document: { kind: "txt", filename: state.filename || null, text: state.chars.join("") } };
    const response = await apiFetch("/v1/export/docx", {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ report, dismissed, filename: state.filename || null }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      const missing = response.status === 404 || response.status === 405;
      showError(errorMessage(body && !missing ? body : null,
        missing ? "此服务不支持导出 Word 文档（POST /v1/export/docx 不可用）。"
          : `导出 Word 失败：服务器返回 ${response.status} ${response.statusText}`));
      setStatus("");
      return;
    }
    download(`${baseName()}.docx`, DOCX_TYPE, await response.blob());
    setStatus(`已导出 Word 文档（${openFindings().length} 个问题，已忽略的不列入）。`);
  } catch (error) {
    showError(`无法连接服务：${error.message}`);
    setStatus("");
  } finally {
    button.disabled = false;
  }
}

// ---- coverage: what was checked and what was not ----------------------------------------------

function splitReason(key) {
  const at = key.indexOf(": ");
  return at < 0 ? ["", key] : [key.slice(0, at), key.slice(at + 2)];
}

function reasonLabel(kind, reason) {
  const what = CLAIM_KINDS[kind] || kind;
  const why = UNCHECKED_REASONS[reason] || reason || "原因未说明";
  return what ? `${what}：${why}` : why;
}

// coverage.unchecked counts claims per "<kind>: <reason>"; the claims left unchecked (claims with
// checked false, their note the reason) are put under the entry they name. An unchecked claim
// whose reason has no entry gets its own group, listed after the counted ones.
function uncheckedGroups() {
  const coverage = (state.body && state.body.coverage) || {};
  const groups = new Map();
  const entries = Array.isArray(coverage.unchecked)
    ? coverage.unchecked.map((u) => [`${u.kind}: ${u.reason}`, u.count ?? (u.claims || []).length])
    : Object.entries(coverage.unchecked || {});
  for (const [key, count] of entries) {
    const [kind, reason] = splitReason(key);
    groups.set(key, { key, kind, reason, count, claims: [], counted: true });
  }
  for (const claim of (state.body && state.body.claims) || []) {
    if (claim.checked) continue;
    const key = `${claim.kind}: ${claim.note || ""}`;
    if (!groups.has(key)) groups.set(key, { key, kind: claim.kind, reason: claim.note || "", count: 0, claims: [], counted: false });
    groups.get(key).claims.push(claim);
  }
  for (const group of groups.values()) if (!group.counted) group.count = group.claims.length;
  return [...groups.values()];
}

function uncheckedTotal() {
  return uncheckedGroups().filter((g) => g.counted).reduce((sum, g) => sum + g.count, 0);
}

function lineOf(offset) {
  let line = 1;
  for (let i = 0; i < offset && i < state.chars.length; i += 1) if (state.chars[i] === "\n") line += 1;
  return line;
}

function renderCoverage() {
  const coverage = state.body.coverage || {};
  const groups = uncheckedGroups();
  const unchecked = uncheckedTotal();
  const checked = coverage.checked_total ?? 0;
  $("coverage-summary").textContent =
    `核查范围：已核查 ${checked} 项 · 未核查 ${unchecked} 项${coverage.incomplete ? " · 部分规则未运行" : ""}`;
  const kinds = Object.entries(coverage.claims || {}).map(([kind, c]) =>
    el("li", {}, el("span", { class: "kind" }, CLAIM_KINDS[kind] || kind), " ",
      el("b", {}, String(c.checked ?? 0)), c.found !== undefined ? ` / 共 ${c.found}` : ""));
  const quantities = coverage.quantities ? coverage.quantities.total : undefined;
  const parts = [
    el("p", { class: "coverage-note" },
      `共 ${coverage.sentences ?? "—"} 句，识别数字 ${quantities ?? "—"} 个；已重新计算并核对 ${checked} 项说法：`),
    el("ul", { class: "checked-kinds" }, kinds),
  ];
  const read = coverage.extraction;
  if (read && !read.complete) {
    const unit = read.unit === "page" ? "页" : "段（表）";
    parts.push(el("p", { class: "coverage-warning" },
      `读取文件的时间用尽：只读取并检查了前 ${read.read} ${unit}（共 ${read.total} ${unit}），其余未检查。`));
  }
  if (coverage.incomplete && (coverage.skipped || []).length) {
    parts.push(el("p", { class: "coverage-warning" },
      `检查时间用尽，以下规则类别未运行：${(coverage.skipped || []).join("、")}。结果不完整。`));
  }
  parts.push(el("h3", {}, unchecked || groups.length ? `未核查 ${unchecked} 项（原因及所在位置）` : "未核查：无"));
  parts.push(el("ul", { class: "unchecked", id: "unchecked-list" }, groups.map((group) =>
    el("li", { class: "unchecked-group", "data-key": group.key },
      el("div", { class: "unchecked-reason" },
        el("span", {}, reasonLabel(group.kind, group.reason)),
        el("b", { class: "unchecked-count" }, String(group.count)),
        group.counted ? "" : el("span", { class: "muted" }, "（未计入上方合计）")),
      group.claims.length
        ? el("ul", { class: "claims" }, group.claims.map((claim) => el("li", {},
          el("button", {
            type: "button", class: "claim-button", "data-start": String(claim.start), "data-end": String(claim.end),
            title: `第 ${lineOf(claim.start)} 行：${claim.text}`, onclick: () => showClaim(claim),
          }, el("span", { class: "claim-text" }, claim.text), el("span", { class: "where" }, `第 ${lineOf(claim.start)} 行`)))))
        : el("p", { class: "muted" }, "（此类说法的位置未随结果返回）")))));
  $("coverage-body").replaceChildren(...parts);
  $("coverage").open = !state.body.findings.length && unchecked > 0;
}

// a DOM range over code points start..end of the text shown in #report
function rangeOf(start, end) {
  const walker = document.createTreeWalker($("report"), NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest("[aria-hidden='true']") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const units = (text, points) => Array.from(text).slice(0, points).join("").length;
  const range = document.createRange();
  let at = 0;
  let begun = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = Array.from(node.data).length;
    if (!begun && start <= at + length) {
      range.setStart(node, units(node.data, start - at));
      begun = true;
    }
    if (begun && end <= at + length) {
      range.setEnd(node, units(node.data, end - at));
      return range;
    }
    at += length;
  }
  return null;
}

function showClaim(claim) {
  if ($("report-view").hidden) return;
  const range = rangeOf(claim.start, claim.end);
  if (!range) return;
  const report = $("report");
  const box = range.getBoundingClientRect();
  const frame = report.getBoundingClientRect();
  report.scrollTop += box.top - frame.top - report.clientHeight / 2;
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  if (window.CSS && CSS.highlights && typeof Highlight === "function") CSS.highlights.set("tally-claim", new Highlight(range));
  setStatus(`未核查的说法（第 ${lineOf(claim.start)} 行）：${claim.text}`);
}

function openCoverage() {
  if (!state.body) return;
  $("coverage").open = true;
  $("coverage").scrollIntoView({ block: "nearest" });
  $("coverage-summary").focus();
}

function emptyNote() {
  const coverage = state.body.coverage || {};
  const open = openFindings().length;
  const ignored = state.body.findings.length - open;
  if (open) return el("p", { class: "empty-note" }, "当前筛选下没有问题。");
  const checked = coverage.checked_total ?? 0;
  const unchecked = uncheckedTotal();
  const lines = [el("p", { class: "empty-note" }, ignored ? `没有未处理的问题（已忽略 ${ignored} 条）。` : "未发现问题。")];
  if (!checked) {
    lines.push(el("p", { class: "empty-note warn" }, "但也没有核查任何说法：文中没有找到可重新计算的数字关系，“无问题”不代表报告已核对。"));
  } else {
    lines.push(el("p", { class: "empty-note" }, `已核查 ${checked} 项说法。`));
  }
  if (unchecked) {
    lines.push(el("p", { class: "empty-note" }, `另有 ${unchecked} 项未核查，见 `,
      el("button", { type: "button", class: "link inline", onclick: openCoverage }, "核查范围"), "。"));
  }
  return el("div", { class: "empty" }, lines);
}

function doneMessage() {
  const open = openFindings().length;
  const ignored = state.body.findings.length - open;
  const coverage = state.body.coverage || {};
  const found = open ? `发现 ${open} 个问题` : "未发现问题";
  return `检查完成：${found}${ignored ? `（另有 ${ignored} 条已忽略）` : ""}；已核查 ${coverage.checked_total ?? 0} 项，未核查 ${uncheckedTotal()} 项。`;
}

// ---- file name, title, help ------------------------------------------------------------------

function showFilename() {
  $("report-title").textContent = state.filename ? `报告全文 · ${state.filename}` : "报告全文";
  document.title = state.filename ? `${state.filename} · Tally` : DEFAULT_TITLE;
}

function forgetFilename() {
  state.filename = "";
  document.title = DEFAULT_TITLE;
  $("report-title").textContent = "报告全文";
}

function openHelp() {
  const help = $("help");
  if (!help.open) help.showModal();
}

function wireReviewer() {
  state.dismissed = loadDismissed();
  window.addEventListener("storage", (event) => {
    if (event.key !== DISMISS_KEY) return;
    state.dismissed = loadDismissed();
    refresh();
  });
  $("toggle-dismissed").addEventListener("click", toggleDismissed);
  $("export-baseline").addEventListener("click", exportBaseline);
  $("import-baseline").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (file) importBaseline(file);
  });
  $("export-docx").addEventListener("click", exportDocx);
  $("count-unchecked-button").addEventListener("click", openCoverage);
  $("help-button").addEventListener("click", openHelp);
  $("help").addEventListener("click", (event) => {
    if (event.target === $("help")) $("help").close(); // a click on the backdrop
  });
  // a pasted text is not the file read before: its name goes from the title and the exports
  $("text").addEventListener("paste", () => {
    if (!state.file) forgetFilename();
  });
}

document.addEventListener("DOMContentLoaded", wire);
