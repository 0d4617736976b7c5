// The map (issue 21): a tap or the keyboard focus on a unit shows its name, district and band under the map;
// a second tap on the same unit (or Enter) opens its page. Without this script every unit is a plain link.
// Loaded as a static file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var svg = document.querySelector("svg[data-testid=unit-map]");
  var info = document.getElementById("map-info");
  if (!svg || !info) { return; }
  var selected = null;

  function show(link) {
    if (selected && selected !== link) { selected.classList.remove("selected"); }
    selected = link;
    link.classList.add("selected");
    info.textContent = "";
    var name = document.createElement("strong");
    name.textContent = link.dataset.name;
    info.appendChild(name);
    var parts = [link.dataset.district, link.dataset.bandLabel].filter(function (p) { return p; });
    info.appendChild(document.createTextNode(" · " + parts.join(" · ") + " · "));
    var open = document.createElement("a");
    open.href = link.getAttribute("href");
    open.textContent = info.dataset.open || "Xem trang đơn vị";
    info.appendChild(open);
  }

  var tapped = null;  // the unit a first tap showed: a second tap on it opens its page
  svg.addEventListener("click", function (event) {
    var link = event.target.closest("a.map-unit");
    if (!link) { return; }
    // A keyboard "click" (Enter) has detail 0: it opens the page at once. A first tap only shows the unit
    // (the focus that a tap also moves has shown it already; that does not count as the first tap).
    if (event.detail > 0 && link !== tapped) {
      event.preventDefault();
      tapped = link;
      show(link);
    }
  });
  svg.addEventListener("focusin", function (event) {
    var link = event.target.closest("a.map-unit");
    if (link) { show(link); }
  });
})();
