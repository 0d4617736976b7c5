// Report charts (Chart.js), fed from json_script blocks; no inline script (CSP).
(function () {
  "use strict";
  var BAND_COLOURS = {
    "recognized": "#0d6efd", "13+": "#198754", "10-12": "#20c997",
    "9": "#ffc107", "0-8": "#dc3545", "not_assessed": "#adb5bd"
  };
  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  document.querySelectorAll("button[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  if (typeof window.Chart === "undefined") { return; }
  window.Chart.defaults.animation = false;
  // Numbers on the axes and in the tooltips in the page's language: 1.200 and 10,5 in Vietnamese.
  window.Chart.defaults.locale = document.documentElement.lang || "vi";
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var data = read(canvas.dataset.chart);
    if (!data) { return; }
    if (canvas.dataset.kind === "bands") {
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{
            label: canvas.dataset.label || "",
            data: data.values,
            backgroundColor: data.keys.map(function (k) { return BAND_COLOURS[k] || "#6c757d"; })
          }]
        },
        options: {
          responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    } else if (canvas.dataset.kind === "history") {
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            { label: data.verified_label, data: data.verified, borderColor: "#198754", backgroundColor: "#198754", spanGaps: false },
            { label: data.self_label, data: data.self, borderColor: "#fd7e14", backgroundColor: "#fd7e14", borderDash: [5, 4] }
          ]
        },
        options: {
          responsive: true, maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, suggestedMax: 16, ticks: { precision: 0 } } }
        }
      });
    }
  });
})();
