// Injected into a copy of report.html by render_test.sh (the page itself has
// no script): reports with console.error, which the test fails on, anything
// that does not fit the window - the page wider than the window, a table
// wider than the box it sits in, an SVG wider than the window, a label of an
// SVG drawn outside the SVG (clipped). Runs at the end of the body, once laid out.
(function () {
  var problems = [];
  var width = window.innerWidth;
  var page = document.documentElement.scrollWidth;
  if (page > width) problems.push("the page is " + page + " px wide in a " + width + " px window");
  document.querySelectorAll("table").forEach(function (t) {
    var box = t.parentElement;
    var name = t.caption ? t.caption.textContent : t.rows[0] ? t.rows[0].textContent.slice(0, 60) : "";
    if (t.scrollWidth > box.clientWidth || t.getBoundingClientRect().right > width)
      problems.push("table '" + name + "' is " + t.scrollWidth + " px wide in a " + box.clientWidth + " px box");
  });
  document.querySelectorAll("svg").forEach(function (svg) {
    var r = svg.getBoundingClientRect();
    var title = svg.querySelector("title") ? svg.querySelector("title").textContent : "";
    if (r.right > width) problems.push("chart '" + title + "' ends at " + Math.round(r.right) + " px");
    svg.querySelectorAll("text").forEach(function (t) {
      var b = t.getBoundingClientRect();
      if (b.width === 0) return;
      if (b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5)
        problems.push("label '" + t.textContent + "' of chart '" + title + "' is clipped");
    });
  });
  problems.forEach(function (p) { console.error("does not fit: " + p); });
})();
