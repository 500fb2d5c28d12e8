// The overview's 30-day charts (uPlot, as the creator portal). Data comes from the page's JSON (json_script).
(function () {
  var node = document.getElementById("console-series");
  if (!node || !window.uPlot) return;
  var data = JSON.parse(node.textContent);
  document.querySelectorAll(".console-chart").forEach(function (box) {
    var name = box.getAttribute("data-series");
    var width = Math.max(260, box.clientWidth || 320);
    new window.uPlot({
      width: width, height: 160, legend: {show: false},
      scales: {x: {time: true}},
      series: [{}, {label: name, stroke: "#417690", fill: "rgba(65,118,144,0.15)", width: 2}],
      axes: [{}, {size: 50}],
    }, [data.days, data[name]], box);
  });
})();
