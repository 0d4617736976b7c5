// Over the years (issue 12): bands per year with the targets' cumulative lines, and each target's
// actual as a share of its number. Data from the json_script block "trends-data"; no inline script (CSP).
(function () {
  "use strict";
  var BAND_COLOURS = {
    "recognized": "#0d6efd", "13+": "#198754", "10-12": "#20c997",
    "9": "#ffc107", "0-8": "#dc3545", "not_assessed": "#adb5bd"
  };
  var LINE_COLOURS = ["#6f42c1", "#d63384", "#fd7e14", "#0dcaf0", "#6610f2", "#198754", "#dc3545", "#343a40"];
  if (typeof window.Chart === "undefined") { return; }
  var el = document.getElementById("trends-data");
  if (!el) { return; }
  var data = JSON.parse(el.textContent);
  window.Chart.defaults.animation = false;
  // Numbers on the axes and in the tooltips in the page's language: 1.200 and 10,5 in Vietnamese.
  window.Chart.defaults.locale = document.documentElement.lang || "vi";
  document.querySelectorAll("canvas[data-kind^=trend-]").forEach(function (canvas) {
    if (canvas.dataset.kind === "trend-bands") {
      var datasets = data.band_keys.map(function (key, i) {
        return { type: "bar", label: data.band_labels[i], data: data.bands[key], stack: "bands",
                 backgroundColor: BAND_COLOURS[key] || "#6c757d", order: 2 };
      });
      var seen = {};
      data.targets.forEach(function (t, i) {
        // The bands are stacked: a tier's line is its cumulative figure (with the higher tiers).
        var level = t.cumulative_target;
        if (!t.in_units || seen[level + "|" + t.deadline]) { return; }
        seen[level + "|" + t.deadline] = true;
        datasets.push({ type: "line", stack: "target-" + i, label: data.target_label + " " + t.deadline.slice(0, 4) + ": " + level,
                        data: data.labels.map(function () { return level; }), borderDash: [6, 4], pointRadius: 0,
                        borderWidth: 1.5, borderColor: LINE_COLOURS[i % LINE_COLOURS.length], fill: false, order: 1 });
      });
      new window.Chart(canvas, {
        data: { labels: data.labels, datasets: datasets },
        options: { responsive: true, maintainAspectRatio: false,
                   plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
                   scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
      });
    } else if (canvas.dataset.kind === "trend-targets") {
      var lines = data.targets.map(function (t, i) {
        return { label: t.text.length > 60 ? t.text.slice(0, 57) + "…" : t.text,
                 data: t.actual.map(function (a) { return a === null ? null : Math.round(100 * a / Math.max(t.cumulative_target, 1)); }),
                 borderColor: LINE_COLOURS[i % LINE_COLOURS.length], backgroundColor: LINE_COLOURS[i % LINE_COLOURS.length],
                 spanGaps: false };
      });
      lines.push({ label: "100%", data: data.labels.map(function () { return 100; }), borderColor: "#000",
                   borderDash: [6, 4], pointRadius: 0, borderWidth: 1 });
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: lines },
        options: { responsive: true, maintainAspectRatio: false,
                   plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
                   scales: { y: { beginAtZero: true, title: { display: true, text: data.percent_label } } } }
      });
    }
  });
})();
