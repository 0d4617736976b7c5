// A job's page: ask its JSON for the state and move the progress bar, without reloading the page.
// Polls every second at first, then less often (up to 10 s) while nothing changes; stops when done/failed.
// An import's job (data-follow) opens its result page when done.
(function () {
  "use strict";
  var box = document.querySelector("[data-job]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");
  var link = box.querySelector("[data-result-link]");
  var delay = 1000, last = "";

  function show(state) {
    box.dataset.state = state;
    box.querySelectorAll("[data-when]").forEach(function (el) {
      var when = el.dataset.when;
      el.hidden = !(when === state || (when === "waiting" && (state === "queued" || state === "running")));
    });
  }

  function render(job) {
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.done;
    } else if (job.state === "done") {
      bar.max = 1; bar.value = 1;
    } else {
      bar.removeAttribute("value");  // indeterminate until the total is known
    }
    bar.textContent = job.done + "/" + job.total;
    if (status.textContent !== job.message) { status.textContent = job.message; }
    if (job.state === "done" && job.result_url) { link.href = job.result_url; }
    show(job.state);
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        var seen = job.state + ":" + job.done + ":" + job.total;
        render(job);
        if (job.state === "done" || job.state === "failed") {
          // An import's check or confirm: its result is a page (the preview), opened as soon as it is ready.
          if (job.state === "done" && job.result_url && box.hasAttribute("data-follow")) {
            window.location.assign(job.result_url);
          } else if (job.state === "done" && link) { link.focus(); }
          return;
        }
        delay = seen === last ? Math.min(delay * 1.5, 10000) : 1000;
        last = seen;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A dropped connection: keep trying, less and less often.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  if (box.dataset.state === "queued" || box.dataset.state === "running") {
    window.setTimeout(poll, delay);
  }
})();
