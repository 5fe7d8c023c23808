// Officer dashboard: bar charts of items and amounts by department and by policy.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-chart]");
  if (!boxes.length || !window.echarts) { return; }
  fetch(boxes[0].dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (d) {
      boxes.forEach(function (box) {
        var rows = (d[box.dataset.chart] || []).slice(0, 12).reverse();
        var chart = echarts.init(box);
        chart.setOption({
          tooltip: { trigger: "axis" },
          legend: { data: ["事项数", "金额（万元）"], top: 0 },
          grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
          xAxis: [{ type: "value", name: "项" }, { type: "value", name: "万元", position: "top" }],
          yAxis: { type: "category", data: rows.map(function (r) { return (r.name || r.title).slice(0, 12); }) },
          series: [
            { name: "事项数", type: "bar", data: rows.map(function (r) { return r.items; }) },
            { name: "金额（万元）", type: "bar", xAxisIndex: 1, data: rows.map(function (r) { return Math.round(r.yuan / 1e4); }) }
          ]
        });
        window.addEventListener("resize", function () { chart.resize(); });
      });
    });
})();
