// Computes the SHA-256 of the chosen evidence file in the browser, so that the server can check that the bytes it
// received are the bytes that were sent (the case page's upload form).
(function () {
  "use strict";
  function hex(buffer) {
    return Array.from(new Uint8Array(buffer)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function watch(form) {
    var input = form.querySelector("input[type=file]");
    var field = form.querySelector("input[name=sha256]");
    var shown = form.querySelector("[data-evidence-digest]");
    if (form.dataset.watched || !input || !field || !window.crypto || !window.crypto.subtle) { return; }
    form.dataset.watched = "1";
    input.addEventListener("change", function () {
      field.value = "";
      var file = input.files && input.files[0];
      if (!file) { return; }
      file.arrayBuffer().then(function (data) { return window.crypto.subtle.digest("SHA-256", data); })
        .then(function (digest) {
          field.value = hex(digest);
          if (shown) { shown.textContent = "SHA-256: " + field.value; }
        });
    });
  }
  function init() { document.querySelectorAll("form[data-evidence-form]").forEach(watch); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  if (!window.jianguanEvidence) {
    window.jianguanEvidence = true;
    document.addEventListener("htmx:afterSettle", init);
  }
}());
