/* Injected by `build.py serve` only (never part of the built site): when the last rebuild
   failed, show the editor every error over the page they are looking at. The page keeps the
   last good content underneath; the server reloads it when the files are fixed. */
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
}());
