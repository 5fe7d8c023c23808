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
      fit(chart, g.nodes);
      box.dataset.ready = "1";
      window.__graph = { chart: chart, nodes: g.nodes };
    })
    .catch(function () { chart.hideLoading(); box.textContent = "图谱加载失败，请展开下方的列表查看。"; });
  // A policy's graph holds a few hundred nodes and the force layout spreads them past the canvas.
  // Once it has settled, the nodes are pinned where it put them (layout "none"): ECharts then fits
  // them all into the canvas, and zooming or panning no longer sets the layout going again.
  function fit(chart, nodes) {
    var data = chart.getModel().getSeriesByIndex(0).getData();
    var pinned = nodes.map(function (n, i) {
      var at = data.getItemLayout(i);
      return Object.assign({}, n, { x: at[0], y: at[1] });
    });
    chart.setOption({ series: [{ layout: "none", data: pinned }] });
  }
  chart.on("click", function (p) {
    if (p.dataType === "node" && p.data.href) { window.location.href = p.data.href; }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
