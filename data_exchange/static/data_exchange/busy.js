// "Đang xử lý" state for long uploads and imports: disable the button and show a spinner.
// Loaded as a static file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      var button = form.querySelector("[data-busy-button]");
      if (!button) { return; }
      // Disable after the browser has collected the form data, so the submission still goes out.
      window.setTimeout(function () { button.disabled = true; }, 0);
      button.setAttribute("aria-busy", "true");
      var spinner = button.querySelector("[data-busy-spinner]");
      if (spinner) { spinner.classList.remove("d-none"); }
      var label = button.querySelector("[data-busy-label]");
      if (label) { label.textContent = label.dataset.busyLabel; }
    });
  });
})();
