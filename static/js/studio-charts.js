/* The studio's charts (uPlot, from npm via bin/setup into static/vendor). Data comes from the page's
   <script type="application/json" id="chart-data">; every chart has a table with the same figures under it, so the
   chart is decoration for sighted readers and the page works without JavaScript. */
(function () {
  "use strict";
  var COLOURS = ["#ffb020", "#4cd787", "#7bb6ff", "#ff7b7b", "#c89bff"];
  var node = document.getElementById("chart-data");
  if (!node || typeof uPlot === "undefined") return;
  var data = JSON.parse(node.textContent);
  var axis = { stroke: "#a6adbd", grid: { stroke: "#2a3244", width: 1 }, ticks: { stroke: "#2a3244" } };

  function series(label, i) {
    return { label: label, stroke: COLOURS[i % COLOURS.length], width: 2, fill: i === 0 ? COLOURS[0] + "22" : undefined };
  }

  function build(el) {
    var kind = el.getAttribute("data-chart");
    var label = el.getAttribute("data-label") || kind;
    var x = { label: el.getAttribute("data-x-label") || "" };  // uPlot's own word ("Time") is English
    var time = true, columns, list;
    if (kind === "views") {
      columns = [data.x, data.views];
      list = [x, series(label, 0)];
    } else if (kind === "revenue") {
      var currencies = Object.keys(data.revenue || {});
      columns = [data.x].concat(currencies.map(function (c) { return data.revenue[c]; }));
      list = [x].concat(currencies.map(function (c, i) { return series(label + " " + c, i); }));
      if (!currencies.length) { columns.push(data.x.map(function () { return 0; })); list.push(series(label, 0)); }
    } else if (kind === "retention") {
      time = false;
      columns = [data.minutes, data.retention];
      list = [{ label: x.label || "min" }, series(label, 0)];
    } else {
      return;
    }
    var opts = {
      width: Math.max(260, el.clientWidth),
      height: 220,
      // counts, money and shares start from zero: a chart that starts at the smallest value exaggerates change
      // one point (a one-day period): half a day either side (uPlot's own pad for one time point, in seconds,
      // spans years)
      scales: { x: { time: time, range: function (u, min, max) {
        if (columns[0].length !== 1) return [min, max];
        var pad = time ? 43200 : 1;
        return [columns[0][0] - pad, columns[0][0] + pad];
      } }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      series: list,
      axes: [Object.assign({}, axis), Object.assign({ size: 56 }, axis)],
      legend: { show: true },
    };
    el.setAttribute("data-drawn", "true");
    return new uPlot(opts, columns, el);
  }

  var charts = [];
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var chart = build(el);
    if (chart) charts.push([chart, el]);
  });
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (pair) { pair[0].setSize({ width: Math.max(260, pair[1].clientWidth), height: 220 }); });
    }, 150);
  });
})();
