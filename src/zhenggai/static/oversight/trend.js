// The dashboard's trend (oversight/_trend.html): done, in progress, long term and overdue measures
// week by week, and the completion rate on its own axis. Data from the json_script beside it; the
// table under it says the same without JavaScript, and nothing is drawn where ECharts is not loaded.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-chart=trend]");
  const source = document.getElementById("trend-data");
  if (!box || !source || typeof window.echarts === "undefined") return;
  const points = JSON.parse(source.textContent);
  box.style.height = "280px";
  const chart = window.echarts.init(box, null, { renderer: "svg" });
  const line = (key, label, color, axis = 0) => ({
    name: label, type: "line", yAxisIndex: axis, showSymbol: points.length < 30,
    itemStyle: { color }, lineStyle: { color }, data: points.map((p) => p[key]),
  });
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: points.map((p) => p.week) },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } },
    ],
    series: [
      line("done", box.dataset.labelDone, "#2e7d32"),
      line("in_progress", box.dataset.labelInProgress, "#1565c0"),
      line("long_term", box.dataset.labelLongTerm, "#6d4c41"),
      line("overdue", box.dataset.labelOverdue, "#c62828"),
      line("rate", box.dataset.labelRate, "#9aa0a6", 1),
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
