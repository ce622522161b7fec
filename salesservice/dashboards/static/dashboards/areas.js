// Management dashboards (issue 16 §1): ECharts (vendored) from the json_script block "dashboard-charts-data";
// no inline scripts (the Content-Security-Policy forbids them). A click on a bar or slice opens its records.
(function () {
  function option(c) {
    var tooltip = { trigger: c.type === "pie" ? "item" : "axis", confine: true };
    if (c.type === "pie") {
      return {
        tooltip: tooltip,
        legend: { type: "scroll", bottom: 0 },
        series: [{
          name: c.series[0] ? c.series[0].name : "", type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
          data: c.categories.map(function (name, i) { return { name: name, value: c.series[0].data[i] }; }),
          label: { formatter: "{b}: {c}" }
        }]
      };
    }
    return {
      tooltip: tooltip,
      legend: { show: c.series.length > 1, top: 0 },
      grid: { left: 40, right: 16, top: c.series.length > 1 ? 36 : 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: c.categories, axisLabel: { interval: 0, rotate: c.categories.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: c.series.map(function (s) {
        return { name: s.name, type: c.type, data: s.data, smooth: c.type === "line", connectNulls: true,
                 label: { show: c.type === "bar", position: "top" } };
      })
    };
  }
  function draw() {
    var node = document.getElementById("dashboard-charts-data");
    if (!window.echarts || !node) return;
    var charts = JSON.parse(node.textContent);
    var instances = [];
    document.querySelectorAll(".dashboard-chart[data-index]").forEach(function (el) {
      var c = charts[Number(el.getAttribute("data-index"))];
      if (!c) return;
      var chart = window.echarts.init(el);
      chart.setOption(option(c));
      chart.on("click", function (params) {
        var url = c.urls && c.urls[params.dataIndex];
        if (url) window.location.href = url;
      });
      el.setAttribute("data-ready", "1");
      instances.push(chart);
    });
    window.addEventListener("resize", function () { instances.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
