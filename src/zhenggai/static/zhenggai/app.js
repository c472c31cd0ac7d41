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
