// The topic editor's progressive enhancement (our own code, no libraries; loaded from /static/
// because the CSP forbids inline script). Without it the page still works: both inputs of a
// section's kind are shown, and the "Preview" button posts the form.
//
// 1. Live preview: on input, debounced, POST the form (its FormData carries the csrf field) to
//    the form's data-preview-url and put the returned HTML fragment (the previews with 200, or
//    the list of errors with 422) into #embed-preview. Only the newest answer is shown.
// 2. A section's "kind" select ([data-kind-select], inside [data-kind-slot]) shows only the
//    matching [data-kind-part] ("text" or "items") and hides the other with the hidden attribute.
(function () {
  "use strict";

  var DEBOUNCE_MS = 300;

  function showKind(select) {
    var slot = select.closest("[data-kind-slot]");
    if (!slot) {
      return;
    }
    var parts = slot.querySelectorAll("[data-kind-part]");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-kind-part") !== select.value;
    }
  }

  function setUpKinds(form) {
    var selects = form.querySelectorAll("select[data-kind-select]");
    for (var i = 0; i < selects.length; i++) {
      showKind(selects[i]);
    }
    form.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("select[data-kind-select]")) {
        showKind(event.target);
      }
    });
  }

  function setUpPreview(form, container) {
    var url = form.getAttribute("data-preview-url");
    if (!url || !window.fetch || !window.FormData) {
      return;
    }
    var timer = null;
    var latest = 0;
    var controller = null;

    function refresh() {
      var request = ++latest;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      container.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          if (response.status !== 200 && response.status !== 422) {
            throw new Error("preview failed: " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          if (request === latest) {
            // The server escapes every user text in the fragment it returns.
            container.innerHTML = html;
          }
        })
        .catch(function () {
          // Keep the last preview; the Preview button still works without the live one.
        })
        .then(function () {
          if (request === latest) {
            container.removeAttribute("aria-busy");
          }
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DEBOUNCE_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  function start() {
    var form = document.getElementById("topic-form");
    if (!form) {
      return;
    }
    setUpKinds(form);
    var container = document.getElementById("embed-preview");
    if (container) {
      setUpPreview(form, container);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
