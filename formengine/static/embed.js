// formengine embed script: put a form inside your page.
//
//   <script src="https://FORMS-HOST/embed.js" data-tenant="your-tenant"
//           data-procedure="birth-registration" data-lang="vi"></script>
//
// Inserts an iframe after the script tag showing /embed/<tenant>/<procedure>, resizes it
// to its content, and when the citizen has sent the form dispatches a "formengine:submitted"
// CustomEvent on the script element (it bubbles to its parent and the document) with
// detail {procedure, receipt}. Messages are accepted only from the forms host (the origin
// of this script's src) and from that iframe. No inline script, no dependency.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var origin = new URL(script.src, document.baseURI).origin;
  var tenant = script.getAttribute("data-tenant") || "";
  var procedure = script.getAttribute("data-procedure") || "";
  var lang = script.getAttribute("data-lang") || "";
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(tenant) || !/^[A-Za-z0-9._-]+$/.test(procedure)) {
    if (window.console) { window.console.error("formengine embed.js: set data-tenant and data-procedure"); }
    return;
  }
  var titles = { vi: "Biểu mẫu dịch vụ công", en: "Public service form", fr: "Formulaire de service public" };
  var url = new URL("/embed/" + tenant + "/" + procedure, origin);
  if (titles[lang]) { url.searchParams.set("lang", lang); }
  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = script.getAttribute("data-title") || titles[lang] || titles.vi;
  frame.setAttribute("scrolling", "no");
  frame.className = "formengine-frame";
  frame.style.width = "100%";
  frame.style.height = "600px";
  frame.style.border = "0";
  frame.style.overflow = "hidden";
  frame.style.display = "block";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
    var data = event.data;
    if (!data || typeof data !== "object") { return; }
    if (data.type === "formengine:height" && typeof data.height === "number"
        && data.height > 0 && data.height < 100000) {
      frame.style.height = Math.ceil(data.height) + "px";
      if (typeof data.title === "string" && data.title) { frame.title = data.title; }
    } else if (data.type === "formengine:submitted" && typeof data.receipt === "string") {
      script.dispatchEvent(new CustomEvent("formengine:submitted", {
        bubbles: true,
        detail: { procedure: String(data.procedure || ""), receipt: data.receipt }
      }));
    }
  });
})();
