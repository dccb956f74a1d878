/* Injected by `build.py serve` only (never part of the built site).
   1. When the last rebuild failed, show the editor every error over the page they are looking
      at. The page keeps the last good content underneath; the server reloads it when fixed.
   2. After a rebuild the server names every file it wrote. This page updates only if it is one
      of them, and in place: its <main> is swapped for the new one, scroll position and focus
      kept, no reload. Where more than <main> changed (title in the header, breadcrumbs) or the
      page runs scripts of its own (search), it reloads. Style sheets are livereload.js's. */
(function () {
  "use strict";
  function show(errors) {
    var box = document.createElement("div");
    box.id = "serve-error-overlay";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "serve-error-title");
    box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(0,0,0,.82);" +
      "color:#fff;font:16px/1.6 system-ui,'Noto Sans CJK SC',sans-serif;padding:2rem";
    var panel = document.createElement("div");
    panel.style.cssText = "max-width:60rem;margin:0 auto;background:#1b1b1b;border:3px solid #ff6b6b;padding:1.5rem";
    var title = document.createElement("h2");
    title.id = "serve-error-title";
    title.textContent = "内容有错误，网站没有更新（显示的是上一次成功生成的页面）";
    title.style.cssText = "margin-top:0;color:#ffd7d7;font-size:1.25rem";
    panel.appendChild(title);
    var list = document.createElement("ol");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      var place = [error.file].concat(error.line ? [error.line].concat(error.column ? [error.column] : []) : []);
      where.textContent = place.filter(Boolean).join(":") + (error.field ? " [" + error.field + "]" : "");
      where.style.cssText = "display:block;color:#ffe08a;font-size:.95rem";
      var message = document.createElement("p");
      message.textContent = error.message;
      message.style.margin = ".25rem 0 1rem";
      item.appendChild(where);
      item.appendChild(message);
      list.appendChild(item);
    });
    panel.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "关闭提示（Esc）";
    close.style.cssText = "font:inherit;padding:.4rem 1rem;min-height:2.5rem;background:#fff;color:#000;border:0;cursor:pointer";
    function dismiss() {
      if (box.parentNode) { box.parentNode.removeChild(box); }
      document.removeEventListener("keydown", onKey);
    }
    function onKey(event) {
      if (event.key === "Escape") { dismiss(); }
    }
    close.addEventListener("click", dismiss);
    document.addEventListener("keydown", onKey);
    panel.appendChild(close);
    box.appendChild(panel);
    document.body.appendChild(box);
    close.focus();
  }
  function check() {
    var request = new XMLHttpRequest();
    request.open("GET", "/__serve__/errors.json?" + Date.now());
    request.onload = function () {
      try {
        var errors = JSON.parse(request.responseText);
        if (errors.length) { show(errors); }
      } catch (error) { /* no overlay */ }
    };
    request.send();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", check);
  } else {
    check();
  }

  function thisPage() {
    var path = window.location.pathname.replace(/^\//, "");
    return path === "" || /\/$/.test(path) ? path + "index.html" : path;
  }

  /* What content puts around <main> (the page title, the site's name, breadcrumbs, footer), to
     tell whether swapping <main> is enough. The rest of the header is the site's own markup,
     which site.js changes as the page runs (the reading settings), so it is not compared. */
  function around(doc) {
    return [doc.title].concat(Array.prototype.map.call(
      doc.querySelectorAll(".site-header__name, .breadcrumbs, .site-footer, body > script"),
      function (node) { return node.outerHTML; })).join("\n");
  }

  function update() {
    var request = new XMLHttpRequest();
    request.open("GET", window.location.pathname + window.location.search);
    request.onload = function () {
      var fresh = new DOMParser().parseFromString(request.responseText, "text/html");
      var main = document.querySelector("main");
      var freshMain = fresh.querySelector("main");
      if (request.status !== 200 || !main || !freshMain || document.getElementById("search-form") ||
          around(document) !== around(fresh)) {
        window.location.reload();
        return;
      }
      var x = window.scrollX;
      var y = window.scrollY;
      var focused = document.activeElement && document.activeElement.id;
      main.innerHTML = freshMain.innerHTML;
      window.scrollTo(x, y);
      var again = focused && document.getElementById(focused);
      if (again) { again.focus({ preventScroll: true }); }
      document.documentElement.setAttribute("data-serve-updated", String(Date.now()));
    };
    request.onerror = function () { window.location.reload(); };
    request.send();
  }

  function WrittenPages() {}
  WrittenPages.identifier = "zwgk-written-pages";
  WrittenPages.version = "1.0";
  /* true: handled here (updated, or not this page); false: livereload.js goes on (CSS, "*"). */
  WrittenPages.prototype.reload = function (path) {
    if (path === "*" || /\.css$/i.test(path)) { return false; }
    if (path.replace(/^\//, "") === thisPage()) { update(); }
    return true;
  };
  if (window.LiveReload && window.LiveReload.addPlugin) { window.LiveReload.addPlugin(WrittenPages); }
}());
