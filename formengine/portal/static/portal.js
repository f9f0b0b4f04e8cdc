// The sample portal's own script: log every "formengine:submitted" event (embed.js
// dispatches it on its script tag; it bubbles to the document).
(function () {
  "use strict";
  document.addEventListener("formengine:submitted", function (event) {
    var detail = event.detail || {};
    var item = document.createElement("li");
    item.className = "portal-event";
    item.setAttribute("data-receipt", detail.receipt || "");
    item.textContent = new Date().toLocaleTimeString() + " – " + (detail.procedure || "?") +
      " – " + (detail.receipt || "?");
    document.getElementById("portal-log").appendChild(item);
    var empty = document.getElementById("portal-log-empty");
    if (empty) { empty.hidden = true; }
  });
})();
