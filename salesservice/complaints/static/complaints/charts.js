// Complaint analytics charts (CMP-6). CSP forbids inline scripts: the data comes from
// <script type="application/json" id="complaint-chart-data"> rendered by json_script.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("complaint-chart-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = data.labels || {};

    var groupEl = document.getElementById("complaint-group-chart");
    if (groupEl) {
      var groupChart = window.echarts.init(groupEl);
      groupChart.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: [labels.total, labels.closed] },
        grid: { left: 40, right: 20, bottom: 60, containLabel: true },
        xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: data.groups.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: labels.total, type: "bar", data: data.totals },
          { name: labels.closed, type: "bar", data: data.closed }
        ]
      });
      window.addEventListener("resize", function () { groupChart.resize(); });
    }

    var rateEl = document.getElementById("complaint-rate-chart");
    if (rateEl) {
      var rateChart = window.echarts.init(rateEl);
      rateChart.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: data.rate_series.map(function (s) { return s.name; }) },
        grid: { left: 40, right: 20, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: data.rate_labels },
        yAxis: { type: "value", name: labels.rate },
        series: data.rate_series.map(function (s) {
          return { name: s.name, type: "line", connectNulls: true, data: s.data };
        })
      });
      window.addEventListener("resize", function () { rateChart.resize(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
