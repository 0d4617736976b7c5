// Live count of answered criteria on the self-assessment form (the page works without it).
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  var counter = document.getElementById("answered-count");
  if (!form || !counter) { return; }
  var template = counter.textContent;
  var total = counter.dataset.total;
  function update() {
    var answered = 0;
    form.querySelectorAll("[data-criterion]").forEach(function (card) {
      var checked = card.querySelector("input[type=radio]:checked");
      if (checked && checked.value !== "not_yet") { answered += 1; }
    });
    counter.textContent = template.replace(/\d+\/\d+/, answered + "/" + total);
  }
  form.addEventListener("change", update);
})();
