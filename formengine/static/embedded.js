// formengine: inside a form embedded in a province portal (web/embed.py, embed.js).
// Tells the portal page the height of this page (on load and whenever it changes) and,
// on the "application sent" page, the procedure and the receipt number: nothing personal.
// Messages go to each of the tenant's origins (<meta name="fe-embed-origins">), never "*":
// a browser delivers a message only when the parent's origin is the one named.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var meta = document.querySelector("meta[name=\"fe-embed-origins\"]");
  var origins = meta ? meta.getAttribute("content").split(" ").filter(Boolean) : [];
  function post(message) {
    origins.forEach(function (origin) {
      try { window.parent.postMessage(message, origin); } catch (e) { /* not that origin */ }
    });
  }
  var last = -1;
  function height() {
    var root = document.getElementById("fe-embed-root") || document.body;
    var value = Math.ceil(root.getBoundingClientRect().height);
    if (value === last) { return; }
    last = value;
    post({ type: "formengine:height", height: value, title: document.title });
  }
  function start() {
    height();
    if (window.ResizeObserver) {
      new ResizeObserver(height).observe(document.getElementById("fe-embed-root") || document.body);
    } else {
      window.setInterval(height, 500);
    }
    var sent = document.getElementById("fe-embed-submitted");
    if (sent) {
      post({ type: "formengine:submitted", procedure: sent.getAttribute("data-procedure"),
             receipt: sent.getAttribute("data-receipt") });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("load", height);
})();
