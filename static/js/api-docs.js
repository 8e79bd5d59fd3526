/* /api/docs/: Swagger UI on demand. Its stylesheet and bundle (1.5 MB) are
   fetched when the reader presses the button, so the page itself stays
   light; a file, not an inline script (CSP script-src 'self'). */
"use strict";

(function () {
  // Swagger UI's tag and path labels are <a> elements with no href when deep
  // linking is off (deep links would put a link inside the operation's
  // button). They are not links: say so (role="none"), so that neither
  // crawlers nor assistive technology take them for broken ones.
  function markLabels(root) {
    root.querySelectorAll("a.nostyle:not([href]):not([role])").forEach(function (a) {
      a.setAttribute("role", "none");
    });
  }

  function load(button) {
    button.disabled = true;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = button.dataset.css;
    // Before our stylesheet, whose contrast fixes override Swagger UI's colours.
    var ours = document.getElementById("api-docs-css");
    document.head.insertBefore(css, ours);
    var script = document.createElement("script");
    script.src = button.dataset.bundle;
    script.onload = function () {
      var target = document.getElementById("swagger-ui");
      new MutationObserver(function () { markLabels(target); }).observe(target, { childList: true, subtree: true });
      window.SwaggerUIBundle(Object.assign({
        url: button.dataset.schemaUrl,
        dom_id: "#swagger-ui",
        presets: [window.SwaggerUIBundle.presets.apis],
        layout: "BaseLayout"
      }, JSON.parse(button.dataset.settings || "{}")));
      button.parentNode.hidden = true;
      target.tabIndex = -1;  // the button is gone: focus moves to what it opened
      target.focus();
    };
    document.head.appendChild(script);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("swagger-load");
    if (!button) return;
    button.closest(".js-only").classList.add("is-ready");
    button.addEventListener("click", function () { load(button); });
    function fromAddress() {
      if (window.location.hash === "#swagger-ui" && !button.disabled) load(button);
    }
    window.addEventListener("hashchange", fromAddress);
    fromAddress();
  });
})();
