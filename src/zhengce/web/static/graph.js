// 政策图谱: draw /policy/<id>/graph.json with ECharts; a click on a node goes to its clause.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || !window.echarts) { return; }
  var chart = echarts.init(box, null, { renderer: "canvas" });
  chart.showLoading({ text: "加载中…" });
  fetch(box.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (g) {
      chart.hideLoading();
      var narrow = box.clientWidth < 600;
      chart.setOption({
        tooltip: { formatter: function (p) {
          if (p.dataType !== "node") { return ""; }
          var d = p.data.detail ? "<br>" + echarts.format.encodeHTML(p.data.detail).slice(0, 200) : "";
          return echarts.format.encodeHTML(p.data.name) + d;
        }, extraCssText: "max-width:22rem;white-space:normal;" },
        legend: [{ data: g.categories.map(function (c) { return c.name; }), top: 0, type: "scroll" }],
        series: [{
          type: "graph", layout: "force", roam: true, draggable: true,
          data: g.nodes, links: g.links, categories: g.categories,
          label: { show: true, position: "right", fontSize: narrow ? 9 : 11,
                   formatter: function (p) { return p.data.symbolSize >= 16 || !narrow ? p.data.name.slice(0, 14) : ""; } },
          labelLayout: { hideOverlap: true },
          // Laid out at once rather than animated, so the view can be fitted to where the nodes settled.
          force: { repulsion: narrow ? 60 : 120, edgeLength: [30, 90], gravity: 0.08, layoutAnimation: false },
          emphasis: { focus: "adjacency" },
          lineStyle: { color: "source", opacity: 0.5, curveness: 0.1 }
        }]
      });
      fit(chart);
      box.dataset.ready = "1";
      window.__graph = { chart: chart, nodes: g.nodes };
    })
    .catch(function () { chart.hideLoading(); box.textContent = "图谱加载失败，请展开下方的列表查看。"; });
  // A policy's graph holds a few hundred nodes: the force layout spreads them past the canvas, so
  // zoom out until every node shows (a person can still zoom in and pan: roam is on).
  function fit(chart) {
    var data = chart.getModel().getSeriesByIndex(0).getData();
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var i = 0; i < data.count(); i++) {
      var p = chart.convertToPixel({ seriesIndex: 0 }, data.getItemLayout(i));
      x0 = Math.min(x0, p[0]); y0 = Math.min(y0, p[1]); x1 = Math.max(x1, p[0]); y1 = Math.max(y1, p[1]);
    }
    var margin = 40, top = 40;  // room for labels, and for the legend above
    var w = chart.getWidth() - 2 * margin, h = chart.getHeight() - margin - top;
    var scale = Math.min(1, w / Math.max(1, x1 - x0), h / Math.max(1, y1 - y0));
    if (scale >= 1) { return; }
    var centre = chart.convertFromPixel({ seriesIndex: 0 }, [(x0 + x1) / 2, (y0 + y1) / 2]);
    chart.setOption({ series: [{ zoom: scale, center: centre }] });
  }
  chart.on("click", function (p) {
    if (p.dataType === "node" && p.data.href) { window.location.href = p.data.href; }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
