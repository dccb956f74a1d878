/* Reading settings (字号, 高对比度), remembered across pages in localStorage.
   Loaded in <head> without defer so a saved setting applies before the first paint.
   Written for old browsers too (no arrow functions, no NodeList.forEach). Pages read
   fully without this script. */
(function () {
  "use strict";
  var root = document.documentElement;
  var STORAGE_KEY = "zwgk-reading-settings";
  var SIZES = ["normal", "large", "x-large"];

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {};
    }
  }

  function save(settings) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    } catch (error) {
      /* Private windows may refuse storage: the setting then lasts for this page only. */
    }
  }

  function apply(settings) {
    var size = SIZES.indexOf(settings.size) > 0 ? settings.size : null;
    if (size) { root.setAttribute("data-text-size", size); } else { root.removeAttribute("data-text-size"); }
    if (settings.contrast === "high") { root.setAttribute("data-contrast", "high"); } else { root.removeAttribute("data-contrast"); }
  }

  var settings = load();
  apply(settings);

  function each(list, action) {
    Array.prototype.forEach.call(list, action);
  }

  function wire() {
    var panel = document.querySelector("[data-reading-settings]");
    if (!panel) { return; }
    var sizeButtons = panel.querySelectorAll("button[data-text-size]");
    var contrastButton = panel.querySelector("button[data-contrast-toggle]");

    function reflect() {
      var current = SIZES.indexOf(settings.size) > 0 ? settings.size : "normal";
      each(sizeButtons, function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-text-size") === current));
      });
      contrastButton.setAttribute("aria-pressed", String(settings.contrast === "high"));
    }

    each(sizeButtons, function (button) {
      button.addEventListener("click", function () {
        settings.size = button.getAttribute("data-text-size");
        apply(settings); save(settings); reflect();
      });
    });
    contrastButton.addEventListener("click", function () {
      settings.contrast = settings.contrast === "high" ? "normal" : "high";
      apply(settings); save(settings); reflect();
    });
    reflect();
    panel.hidden = false;
  }

  /* A printed plan should carry its editor's notes, which the screen keeps folded; a printed
     list of duties the full address of each link (the CSS prints data-print-href). */
  window.addEventListener("beforeprint", function () {
    each(document.querySelectorAll("details:not([open])"), function (details) {
      details.setAttribute("open", "");
      details.setAttribute("data-opened-for-print", "");
    });
    each(document.querySelectorAll("main a[href]:not([href^='#'])"), function (link) {
      link.setAttribute("data-print-href", link.href);
    });
  });

  /* 本条链接: the link itself goes to the measure (and shows its address without JavaScript);
     here it also copies the full address, and says so. */
  function copied(message) {
    var status = document.getElementById("copy-status");
    if (!status) {
      status = document.createElement("p");
      status.id = "copy-status";
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.measure__link") : null;
    if (!link || !navigator.clipboard) { return; }
    var address = window.location.href.split("#")[0] + link.getAttribute("href");
    navigator.clipboard.writeText(address).then(function () {
      link.setAttribute("data-copied", "");
      copied("已复制本条措施的链接：" + address);
    }, function () { /* no clipboard: the address bar shows the link */ });
  });
  window.addEventListener("afterprint", function () {
    each(document.querySelectorAll("details[data-opened-for-print]"), function (details) {
      details.removeAttribute("open");
      details.removeAttribute("data-opened-for-print");
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
}());
