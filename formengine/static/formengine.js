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
  // When a question that changes other questions is answered, the page's fields are
  // replaced (hx-vals "refresh"). Answers typed while that request is in flight are put
  // back after the swap, so nothing typed is lost. (Not for add/remove: rows renumber.)
  var typed = null;
  function isRefresh(elt) {
    return !!elt && (elt.getAttribute("hx-vals") || "").indexOf("refresh") !== -1;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isRefresh(event.detail.elt)) { typed = {}; }
  });
  function remember(event) {
    var field = event.target;
    if (!typed || !field.name) { return; }
    var choice = field.type === "checkbox" || field.type === "radio";
    // A snapshot, not the element: the swap itself unticks the old radios of a group.
    typed[field.name + (choice ? "=" + field.value : "")] = {
      name: field.name, value: field.value, checked: field.checked, choice: choice
    };
  }
  document.addEventListener("input", remember);
  document.addEventListener("change", remember);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!typed || !isRefresh(event.detail.requestConfig && event.detail.requestConfig.elt)) { return; }
    var fields = typed;
    typed = null;
    Object.keys(fields).forEach(function (key) {
      var old = fields[key];
      var selector = "#form-fields [name=\"" + CSS.escape(old.name) + "\"]";
      document.querySelectorAll(selector).forEach(function (now) {
        if (old.choice) {
          if (now.value === old.value) { now.checked = old.checked; }
        } else {
          now.value = old.value;
        }
      });
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("fe-js");
    if (!document.querySelector("[autofocus]:not(.fe-error-summary)")) { focusSummary(); }
  });
})();
