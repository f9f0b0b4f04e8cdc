// formengine: small progressive enhancements. The forms work without this file.
(function () {
  "use strict";
  function focusSummary(root) {
    var summary = (root || document).querySelector(".fe-error-summary");
    if (summary) { summary.focus(); }
  }
  // A date ([data-fe-date]) is checked once, when focus leaves the whole date after a
  // change inside it, not after each of its three inputs (see _macros.html, live()).
  // A commune list ([data-fe-commune]) likewise: arrowing through its options or typing in
  // its search box must not redraw it (fe-commune-change).
  function dateGroup(node) {
    return node && node.closest ? node.closest("[data-fe-date], [data-fe-commune]") : null;
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
    var name = group.hasAttribute("data-fe-date") ? "fe-date-change" : "fe-commune-change";
    if (window.htmx) { window.htmx.trigger(group, name); }
  });
  // The search box of a commune list sends what is typed (q) and the current choice
  // (selected, always kept in the narrowed list); it has no name, so the form never posts it.
  document.addEventListener("htmx:configRequest", function (event) {
    var search = event.detail.elt;
    var id = search && search.getAttribute && search.getAttribute("data-fe-commune-search");
    if (!id) { return; }
    var select = document.getElementById(id);
    event.detail.parameters.q = search.value;
    if (select && select.value) { event.detail.parameters.selected = select.value; }
  });
  // Every request htmx sends that changes something carries the page's CSRF token (the
  // forms also post it in their _csrf field; see formengine/web/csrf.py).
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector("meta[name=\"csrf-token\"]");
    if (meta && event.detail.verb !== "get") {
      event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });
  // Enter in that search box narrows the list at once instead of sending the page.
  document.addEventListener("keydown", function (event) {
    var search = event.target;
    if (event.key !== "Enter" || !search.hasAttribute || !search.hasAttribute("data-fe-commune-search")) { return; }
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(search, "search"); }
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
