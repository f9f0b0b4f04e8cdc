// formengine: small progressive enhancements. The forms work without this file.
(function () {
  "use strict";
  function focusSummary(root) {
    var summary = (root || document).querySelector(".fe-error-summary");
    if (summary) { summary.focus(); }
  }
  // A date ([data-fe-date]) is checked once, when focus leaves the whole date after a
  // change inside it, not after each of its three inputs (see _macros.html, live()).
  function dateGroup(node) {
    return node && node.closest ? node.closest("[data-fe-date]") : null;
  }
  document.addEventListener("change", function (event) {
    var group = dateGroup(event.target);
    if (group) { group.setAttribute("data-fe-changed", ""); }
  });
  document.addEventListener("focusout", function (event) {
    var group = dateGroup(event.target);
    if (!group || !group.hasAttribute("data-fe-changed")) { return; }
    if (event.relatedTarget && group.contains(event.relatedTarget)) { return; }
    group.removeAttribute("data-fe-changed");
    if (window.htmx) { window.htmx.trigger(group, "fe-date-change"); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("fe-js");
    if (!document.querySelector("[autofocus]:not(.fe-error-summary)")) { focusSummary(); }
  });
})();
