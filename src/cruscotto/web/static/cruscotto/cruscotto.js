// Bootstrap Italia 2 loads its fonts from JavaScript; tell it where Django serves them.
(function () {
  var script = document.currentScript;
  var bi = window.bootstrap;
  if (!bi || !script) {
    return;
  }
  if (bi.loadFonts) {
    bi.loadFonts(script.dataset.fonts);
  }
  // A link to an objective inside a collapsed section (#so-011-3) opens the
  // sections around it, so the target is visible.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || !bi.Collapse) {
      return;
    }
    var inner = target.querySelector(":scope > .accordion-collapse");
    var sections = inner ? [inner] : [];
    for (var c = target.closest(".collapse"); c; c = c.parentElement.closest(".collapse")) {
      sections.push(c);
    }
    sections.forEach(function (el) {
      bi.Collapse.getOrCreateInstance(el, { toggle: false }).show();
    });
    target.scrollIntoView();
  }
  document.addEventListener("DOMContentLoaded", reveal);
  window.addEventListener("hashchange", reveal);
})();

// Refusals: a message with role="alert" gets the focus, after a full page load
// (a form posted without htmx) and after htmx swaps a response into the page,
// so keyboard and screen-reader users land on it.
(function () {
  function focusAlert(root) {
    var alert = (root || document).querySelector("[role=alert]:not([hidden])");
    if (!alert) {
      return;
    }
    if (!alert.hasAttribute("tabindex")) {
      alert.setAttribute("tabindex", "-1");
    }
    alert.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusAlert(document.getElementById("main"));
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var failure = document.getElementById("htmx-failure");
    if (failure) {
      failure.hidden = true;
    }
    focusAlert(event.detail.target && event.detail.target.isConnected
      ? event.detail.target : document.getElementById("main"));
  });
  function failed() {
    var failure = document.getElementById("htmx-failure");
    if (failure) {
      failure.hidden = false;
      failure.focus();
    }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
