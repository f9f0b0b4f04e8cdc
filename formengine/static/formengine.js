// formengine: small progressive enhancements. The forms work without this file.
(function () {
  "use strict";
  function focusSummary(root) {
    var summary = (root || document).querySelector(".fe-error-summary");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("fe-js");
    if (!document.querySelector("[autofocus]:not(.fe-error-summary)")) { focusSummary(); }
  });
})();
