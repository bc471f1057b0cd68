// The leaders' dashboard charts (ECharts, served by the platform): each chart reads the figures the page embeds
// (#leaders-data) and a click on a bar, point or slice opens the list behind it; the table under each chart has
// the same figures and links for keyboards and screen readers.
(function () {
  "use strict";
  var source = document.getElementById("leaders-data");
  if (!source || !window.echarts) return;
  var charts = JSON.parse(source.textContent);
  var dark = document.body.classList.contains("screen");
  var ink = dark ? "#e8eef8" : "#1d2430";
  var made = [];

  function option(chart) {
    var base = { textStyle: { color: ink }, tooltip: { trigger: chart.kind === "share" ? "item" : "axis", renderMode: "richText" },
                 grid: { left: 48, right: 16, top: 40, bottom: 32, containLabel: true }, animation: false };
    if (chart.kind === "share") {
      var s = chart.series[0];
      base.legend = { type: "scroll", bottom: 0, textStyle: { color: ink } };
      base.series = [{ type: "pie", radius: ["35%", "65%"], name: s.name, label: { color: ink },
        data: chart.categories.map(function (name, i) { return { name: name, value: s.data[i] }; }) }];
      return base;
    }
    if (chart.kind === "rank") {
      base.xAxis = { type: "value", axisLabel: { color: ink } };
      base.yAxis = { type: "category", inverse: true, data: chart.categories, axisLabel: { color: ink } };
      base.series = [{ type: "bar", name: chart.series[0].name, data: chart.series[0].data }];
      return base;
    }
    base.legend = { type: "scroll", top: 0, textStyle: { color: ink } };
    base.xAxis = { type: "category", data: chart.categories, axisLabel: { color: ink } };
    base.yAxis = { type: "value", minInterval: 1, axisLabel: { color: ink } };
    base.series = chart.series.map(function (s) { return { type: "bar", stack: "all", name: s.name, data: s.data }; });
    return base;
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var chart = charts[Number(el.dataset.chart)];
    var instance = window.echarts.init(el, null, { renderer: "canvas" });
    instance.setOption(option(chart));
    instance.on("click", function (params) {
      var series = chart.series[chart.kind === "share" ? 0 : params.seriesIndex] || chart.series[0];
      var link = series && series.links[params.dataIndex];
      if (link) window.location.href = link;
    });
    made.push(instance);
  });
  window.addEventListener("resize", function () { made.forEach(function (c) { c.resize(); }); });
})();
