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
