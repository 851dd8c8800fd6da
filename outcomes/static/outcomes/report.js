/* Reach report: two bar charts drawn from the same numbers as the "By month" table (Chart.js). */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: still ? false : { duration: 300 },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  };
  new window.Chart(document.getElementById("chart-presentations"), {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: "Presentations", data: data.presentations, backgroundColor: "#1d4f7a" }] },
    options: Object.assign({}, common, { plugins: { legend: { display: false } } }),
  });
  new window.Chart(document.getElementById("chart-people"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Counted", data: data.counted, backgroundColor: "#3182bd" },
        { label: "Estimated", data: data.estimated, backgroundColor: "#9ecae1" },
      ],
    },
    options: Object.assign({}, common, {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    }),
  });
})();
