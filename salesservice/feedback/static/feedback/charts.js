// Feedback charts (ECharts, vendored). Data comes from a json_script block named by data-source;
// no inline scripts (the Content-Security-Policy forbids them).
(function () {
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var builders = {
    coverage: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { data: [d.names.closed, d.names.done, d.names.coverage] },
        xAxis: { type: "category", data: d.labels },
        yAxis: [{ type: "value", name: "#" }, { type: "value", name: "%", min: 0, max: 100 }],
        series: [
          { name: d.names.closed, type: "bar", data: d.closed },
          { name: d.names.done, type: "bar", data: d.done },
          {
            name: d.names.coverage, type: "line", yAxisIndex: 1, data: d.coverage,
            markLine: { silent: true, symbol: "none", data: [{ yAxis: d.target, name: d.names.target }] }
          }
        ]
      };
    },
    csat: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { data: [d.names.csat, d.names.average] },
        xAxis: { type: "category", data: d.months },
        yAxis: [{ type: "value", name: "%", min: 0, max: 100 }, { type: "value", name: "★", min: 1, max: 5 }],
        series: [
          { name: d.names.csat, type: "line", smooth: true, data: d.csat },
          { name: d.names.average, type: "line", yAxisIndex: 1, smooth: true, data: d.average }
        ]
      };
    },
    nps: function (d) {
      return {
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", min: -100, max: 100 },
        series: [{ name: d.names.nps, type: "line", smooth: true, areaStyle: {}, data: d.nps }]
      };
    },
    stores: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { data: [d.names.csat, d.names.nps] },
        xAxis: { type: "category", data: d.stores },
        yAxis: { type: "value", min: -100, max: 100 },
        series: [
          { name: d.names.csat, type: "bar", data: d.store_csat },
          { name: d.names.nps, type: "bar", data: d.store_nps }
        ]
      };
    }
  };
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll(".feedback-chart[data-chart]").forEach(function (node) {
      var build = builders[node.getAttribute("data-chart")];
      var values = data(node.getAttribute("data-source"));
      if (!build || !values) return;
      var chart = window.echarts.init(node);
      chart.setOption(build(values));
      node.setAttribute("data-rendered", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
