// Small behaviours that the Content-Security-Policy keeps out of inline attributes.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.classList.contains("js-autosubmit")) {
    el.form.submit();
  }
});

// The overview's chart: each round's measures, done / under way / overdue, as stacked bars.
// Data from the json_script beside it; nothing is drawn where ECharts is not loaded.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-chart=overview]");
  const source = document.getElementById("overview-data");
  if (!box || !source || typeof window.echarts === "undefined") return;
  const rows = JSON.parse(source.textContent).slice().reverse(); // the worst at the top
  box.style.height = `${Math.max(160, rows.length * 28 + 60)}px`;
  const chart = window.echarts.init(box, null, { renderer: "svg" });
  const series = (key, label, color) => ({
    name: label, type: "bar", stack: "all", itemStyle: { color }, data: rows.map((r) => r[key]),
  });
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: rows.map((r) => r.unit), axisLabel: { width: 140, overflow: "truncate" } },
    series: [
      series("red", box.dataset.labelsRed, "#c62828"),
      series("open", box.dataset.labelsOpen, "#9aa0a6"),
      series("done", box.dataset.labelsDone, "#2e7d32"),
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});

// The oversight dashboard's charts: one stacked bar a row (a round, a category), keyed by its id,
// each segment (done, in progress, overdue) a link to the ledger of its measures. The data, links
// included, come from the json_script named by data-source; the table beside it says the same.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.echarts === "undefined") return;
  document.querySelectorAll("[data-chart=figures]").forEach((box) => {
    const source = document.getElementById(box.dataset.source);
    if (!source) return;
    const rows = JSON.parse(source.textContent).slice().reverse(); // the first row at the top
    box.style.height = `${Math.max(160, rows.length * 28 + 60)}px`;
    const chart = window.echarts.init(box, null, { renderer: "svg" });
    const colors = { red: "#c62828", in_progress: "#9aa0a6", done: "#2e7d32" };
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      // Drawn inside the SVG (richText): an HTML tooltip carries inline styles, which the CSP refuses.
      tooltip: { trigger: "item", renderMode: "richText" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { width: 180, overflow: "truncate" } },
      series: ["red", "in_progress", "done"].map((key) => ({
        id: key, name: box.dataset[`labels-${key}`.replace(/-([a-z_])/g, (m, c) => c.toUpperCase())] || key,
        type: "bar", stack: "all", itemStyle: { color: colors[key] }, cursor: "pointer",
        data: rows.map((r) => ({ value: r[key], link: r.links[key] })),
      })),
    });
    chart.on("click", (params) => {
      if (params.data && params.data.link) window.location.assign(params.data.link);
    });
    window.addEventListener("resize", () => chart.resize());
  });
});

// The import preview: what is typed in an item stays in that item until it is saved. Saving an item
// answers with that item alone and the draft's new version (#draft-version), which every request of
// the preview then carries; a change that redraws the whole list (move, merge, split, delete) or
// collapses an item is refused while typed text would be lost, and so is leaving the page.
document.addEventListener("input", (event) => {
  const form = event.target.closest && event.target.closest("form.node-form");
  if (form) form.dataset.dirty = "1";
});
document.addEventListener("htmx:configRequest", (event) => {
  const version = document.getElementById("draft-version");
  if (version && event.detail.elt.closest("#draft-tree")) event.detail.parameters.version = version.value;
});
document.addEventListener("htmx:confirm", (event) => {
  const elt = event.detail.elt;
  const guard = document.getElementById("draft-guard");
  if (!guard || !elt.matches) return;
  let dirty = [];
  if (elt.matches("[data-restructures]")) {
    dirty = Array.from(document.querySelectorAll("form.node-form[data-dirty]"));
  } else if (elt.matches("[data-guard-self]")) {
    dirty = [elt.closest("form.node-form[data-dirty]")].filter(Boolean);
  }
  if (!dirty.length) {
    guard.hidden = true;
    return;
  }
  event.preventDefault();
  guard.textContent = elt.matches("[data-guard-self]") ? guard.dataset.selfMessage : guard.dataset.message;
  guard.hidden = false;
  const first = dirty[0].querySelector("textarea, input:not([type=hidden])");
  if (first) first.focus();
});
window.addEventListener("beforeunload", (event) => {
  if (document.querySelector("form.node-form[data-dirty]")) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// A measure card swapped in place (a step opened, sent or cancelled): focus moves to its open form's
// first field, or to the card itself, without scrolling, so the person stays where they were.
document.addEventListener("htmx:afterSettle", (event) => {
  const id = event.detail.target && event.detail.target.id;
  if (!id || !id.startsWith("measure-")) return;
  const card = document.getElementById(id);
  if (!card) return;
  // Someone already typing in the card keeps their place.
  if (card.contains(document.activeElement) && document.activeElement !== card) return;
  const field = card.querySelector("[data-panel] textarea, [data-panel] input:not([type=hidden])");
  (field || card).focus({ preventScroll: true });
});
// The ledger's "select every measure on this page" box ticks the rows' boxes of the same name.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.classList.contains("js-check-all")) return;
  const table = box.closest("table");
  if (!table) return;
  for (const row of table.querySelectorAll(`input[type=checkbox][name="${box.dataset.check}"]`)) {
    row.checked = box.checked;
  }
});

// A unit picker (orgs.pickers): typing lists the matching units below the box (HTMX); choosing one
// fills the box with its text. In a filter form (data-picker="send") choosing one also sends the
// form, and so does typing that leaves a single match; typing alone sends nothing else (its
// `change` stops here). Enter sends what is typed, which the server resolves, as without JavaScript.
const pickerOf = (el) => {
  const picker = el && el.closest && el.closest(".picker");
  const input = picker && picker.querySelector("input[data-picker]");
  return input ? { input, options: picker.querySelector(".picker-options") } : null;
};
const pickerSend = (input) => {
  if (input.dataset.picker !== "send" || !input.form) return;
  input.dataset.sent = input.value;
  input.form.requestSubmit();
};
document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-picker")) {
    event.stopPropagation();
  }
}, true);
document.addEventListener("click", (event) => {
  const choice = event.target.closest && event.target.closest("[data-pick]");
  const found = choice && pickerOf(choice);
  if (!found) return;
  event.preventDefault();
  found.input.value = choice.dataset.pick;
  found.options.replaceChildren();
  found.input.focus();
  pickerSend(found.input);
});
document.addEventListener("htmx:afterSettle", (event) => {
  const box = event.detail.target;
  const found = box && box.classList && box.classList.contains("picker-options") && pickerOf(box);
  if (!found || !box.querySelector("[data-unique]") || found.input.dataset.sent === found.input.value) return;
  box.replaceChildren();
  pickerSend(found.input);
});
document.addEventListener("search", (event) => {
  const input = event.target;
  if (input instanceof HTMLInputElement && input.hasAttribute("data-picker") && !input.value) {
    pickerSend(input);
  }
}, true);
// A form sent closes its pickers' lists: what was typed is resolved by the server now.
document.addEventListener("submit", (event) => {
  for (const box of event.target.querySelectorAll(".picker-options")) box.replaceChildren();
}, true);
