// Service statistics charts (issue 12 §18). CSP forbids inline scripts: the data comes from
// <script type="application/json" id="service-chart-data"> rendered by json_script.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("service-chart-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = data.labels || {};
    var rotate = data.groups.length > 6 ? 30 : 0;

    var volumeEl = document.getElementById("service-volume-chart");
    if (volumeEl) {
      var volume = window.echarts.init(volumeEl);
      volume.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: [labels.total, labels.closed] },
        grid: { left: 40, right: 20, bottom: 60, containLabel: true },
        xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: rotate } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: labels.total, type: "bar", data: data.totals },
          { name: labels.closed, type: "bar", data: data.closed }
        ]
      });
      window.addEventListener("resize", function () { volume.resize(); });
    }

    var rateEl = document.getElementById("service-rate-chart");
    if (rateEl) {
      var rate = window.echarts.init(rateEl);
      rate.setOption({
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
        legend: { data: [labels.on_time, labels.resolved_24h] },
        grid: { left: 40, right: 20, bottom: 60, containLabel: true },
        xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: rotate } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: labels.on_time, type: "bar", data: data.on_time },
          { name: labels.resolved_24h, type: "bar", data: data.resolved_24h }
        ]
      });
      window.addEventListener("resize", function () { rate.resize(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
