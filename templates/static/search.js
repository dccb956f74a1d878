/* The search page: reads ?q=&year=&department=&unit= from the address, asks search-core.js for
   the results and shows them twenty at a time. The index comes in small script files loaded as
   the query needs them (see search-core.js), so this works from a web server and from disk.
   Results are built with DOM methods (textContent), never from HTML strings. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var list = document.getElementById("search-results");
  var tokenizer = window.zwgkTokenize;
  if (!form || !list || !tokenizer || !window.zwgkSearchCore || !window.Promise || !window.Map) { return; }

  var root = list.getAttribute("data-root") || "../";
  var version = list.getAttribute("data-version") || "";
  var waiting = {};

  /* Each data file is a script that calls zwgkSearch.receive(kind, name, data). */
  window.zwgkSearch = {
    receive: function (kind, name, data) {
      var key = kind + "/" + name;
      if (waiting[key]) { waiting[key](data); delete waiting[key]; }
    }
  };

  function load(kind, name, path) {
    return new Promise(function (resolve, reject) {
      waiting[kind + "/" + name] = resolve;
      var script = document.createElement("script");
      script.src = root + "assets/search/" + path + "?v=" + encodeURIComponent(version);
      script.onload = function () { script.parentNode.removeChild(script); };
      script.onerror = function () {
        script.parentNode.removeChild(script);
        reject(new Error("搜索数据文件无法加载：" + path));
      };
      document.head.appendChild(script);
    });
  }

  var engine = window.zwgkSearchCore.createSearch({ load: load, tokenizer: tokenizer });
  var normalize = tokenizer.normalize;
  var input = document.getElementById("search-q");
  var yearSelect = document.getElementById("search-year");
  var departmentSelect = document.getElementById("search-department");
  var unitSelect = document.getElementById("search-unit");
  var statusRegion = document.getElementById("search-status");
  var emptyHelp = document.getElementById("search-empty");
  var moreButton = document.getElementById("search-more");
  var current = null; /* {state, found, shown} of the results on screen */
  var generation = 0;

  function option(parent, value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    parent.appendChild(element);
  }

  /* The filters' choices: the years come with the entry; the departments and the units (long
     lists on a big site) each from a file of their own, loaded when their filter is opened,
     focused or typed into, or at once when the address names one. */
  function choices(select, fill) {
    var wanted;
    var asked = new Promise(function (resolve) { wanted = resolve; });
    var ready = asked.then(fill).then(null, function () { /* the filter stays at 全部; the query still works */ });
    ["focus", "mousedown", "keydown", "touchstart"].forEach(function (kind) { select.addEventListener(kind, wanted); });
    return { want: wanted, ready: ready };
  }
  var years = choices(yearSelect, function () {
    return engine.entry().then(function (entry) {
      entry.years.forEach(function (year) { option(yearSelect, String(year), year + "年"); });
    });
  });
  years.want();
  var departments = choices(departmentSelect, function () {
    return engine.facets("departments").then(function (list) {
      list.forEach(function (pair) { option(departmentSelect, pair[0], pair[1]); });
    });
  });
  var units = choices(unitSelect, function () {
    return engine.facets("units").then(function (groups) {
      groups.forEach(function (group) {
        var optgroup = document.createElement("optgroup");
        optgroup.label = group[0];
        group[1].forEach(function (pair) { option(optgroup, pair[0], pair[1]); });
        unitSelect.appendChild(optgroup);
      });
    });
  });

  function readState() {
    var params = new URLSearchParams(window.location.search);
    return { q: params.get("q") || "", year: params.get("year") || "",
             department: params.get("department") || "", unit: params.get("unit") || "" };
  }

  function writeForm(state) {
    input.value = state.q;
    if (state.department) { departments.want(); }
    if (state.unit) { units.want(); }
    years.ready.then(function () { yearSelect.value = state.year; });
    departments.ready.then(function () { departmentSelect.value = state.department; });
    units.ready.then(function () { unitSelect.value = state.unit; });
    if (!state.department) { departmentSelect.value = ""; }
    if (!state.unit) { unitSelect.value = ""; }
  }

  /* A filter whose choices are not loaded yet keeps what the address said. */
  function stateFromForm() {
    var shown = current ? current.state : readState();
    function value(select, key) { return select.options.length > 1 ? select.value : shown[key] || ""; }
    return { q: input.value.trim(), year: value(yearSelect, "year"), department: value(departmentSelect, "department"),
             unit: value(unitSelect, "unit") };
  }

  function addressFor(state) {
    var params = new URLSearchParams();
    ["q", "year", "department", "unit"].forEach(function (key) {
      if (state[key]) { params.set(key, state[key]); }
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  /* `text` with every occurrence of the typed words in <mark>; with `limit`, cut to a window
     of about that many characters around the first occurrence. */
  function highlighted(text, words, limit) {
    var chars = Array.from(text);
    var normalizedChars = chars.map(function (ch) { return normalize(ch); });
    var flat = normalizedChars.join("");
    var owner = [];
    normalizedChars.forEach(function (piece, position) {
      for (var i = 0; i < piece.length; i++) { owner.push(position); }
    });
    var marked = chars.map(function () { return false; });
    var first = -1;
    words.forEach(function (word) {
      var from = flat.indexOf(word);
      while (from >= 0 && word) {
        for (var i = from; i < from + word.length; i++) { marked[owner[i]] = true; }
        if (first < 0 || owner[from] < first) { first = owner[from]; }
        from = flat.indexOf(word, from + word.length);
      }
    });
    var start = 0;
    var end = chars.length;
    if (limit && chars.length > limit) {
      start = Math.max(0, (first < 0 ? 0 : first) - Math.floor(limit / 3));
      end = Math.min(chars.length, start + limit);
    }
    var fragment = document.createDocumentFragment();
    if (start > 0) { fragment.appendChild(document.createTextNode("…")); }
    var buffer = "";
    var inMark = false;
    function flush() {
      if (!buffer) { return; }
      if (inMark) {
        var mark = document.createElement("mark");
        mark.textContent = buffer;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(buffer));
      }
      buffer = "";
    }
    for (var i = start; i < end; i++) {
      if (marked[i] !== inMark) { flush(); inMark = marked[i]; }
      buffer += chars[i];
    }
    flush();
    if (end < chars.length) { fragment.appendChild(document.createTextNode("…")); }
    return fragment;
  }

  function contains(text, words) {
    var normalized = normalize(text || "");
    return words.some(function (word) { return normalized.indexOf(word) >= 0; });
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function line(className, label, text, words) {
    var paragraph = element("p", className);
    if (label) { paragraph.appendChild(document.createTextNode(label)); }
    paragraph.appendChild(highlighted(text, words, 0));
    return paragraph;
  }

  /* One result: a measure shows its own text, then plan, year, its full label and lead units;
     a plan its title; a unit its name and how many measures it answers for. */
  function resultItem(item, words) {
    var entry = element("li", "search-result");
    var heading = entry.appendChild(element("h2", "search-result__title"));
    var link = heading.appendChild(element("a"));
    link.href = root + item.url;
    if (item.kind === "measure") {
      entry.classList.add("search-result--measure");
      link.appendChild(highlighted(item.text, words, 140));
      var label = item.headings.filter(Boolean).concat(item.label ? [item.label] : []).join(" ");
      entry.appendChild(line("search-result__meta", "", item.plan.title + " · " + item.plan.year + "年 · " + label, words));
      if (item.leads.length) { entry.appendChild(line("search-result__units", "牵头：", item.leads.join("、"), words)); }
      var otherUnits = item.units.split("\n").filter(function (name) { return item.leads.indexOf(name) < 0; });
      if (contains(otherUnits.join("\n"), words)) {
        entry.appendChild(line("search-result__units", "责任单位：", item.units.split("\n").join("、"), words));
      }
      if (item.status && contains(item.status, words)) {
        var status = element("p", "search-result__status");
        status.appendChild(document.createTextNode("落实情况："));
        status.appendChild(highlighted(item.status, words, 140));
        entry.appendChild(status);
      }
    } else if (item.kind === "plan") {
      link.appendChild(highlighted(item.title, words, 0));
      entry.appendChild(element("p", "search-result__meta", "计划 · " + item.issuer + " · " + item.year + "年"));
    } else {
      link.appendChild(highlighted(item.name, words, 0));
      var otherNames = item.names.split("\n").filter(function (name) { return name !== item.name; });
      if (contains(otherNames.join("\n"), words)) {
        entry.appendChild(line("search-result__units", "又称：", otherNames.join("、"), words));
      }
      entry.appendChild(element("p", "search-result__meta",
        "单位 · 牵头 " + item.leads + " 项，配合及其他 " + item.supports + " 项"));
    }
    return entry;
  }

  /* The count: exact, or "约 N" while the search has read only the first regions of a common
     word (search-core.js); it becomes exact once "more" has read them all. */
  function describeCount() {
    var found = current.found;
    var total = found.total;
    var q = current.state.q;
    if (!total) { return "没有找到与“" + q + "”有关的结果。"; }
    var shown = list.children.length;
    return "找到" + (found.exact ? " " : "约 ") + total + " 条与“" + q + "”有关的结果" +
      (shown < total || !found.exact ? "，显示前 " + shown + " 条。" : "。");
  }

  /* Show the next page of results; `focusFirst` moves focus to the first new one ("more").
     The first result is shown as soon as its own fragment is in, the others follow in order. */
  function showMore(focusFirst) {
    var mine = generation;
    var from = current.shown;
    var size = window.zwgkSearchCore.PAGE;
    moreButton.hidden = true;
    var words = current.found.words.map(function (word) { return word.text; });
    var firstNew = null;
    function show(page) {
      if (mine !== generation) { return; }
      page.items.forEach(function (item) {
        var entry = list.appendChild(resultItem(item, words));
        if (!firstNew) { firstNew = entry.querySelector("a"); }
      });
    }
    /* The rest are asked for once the first is on screen: it needs nothing but its own fragment. */
    return engine.page(current.found, from, 1).then(show).then(function () {
      return mine === generation ? engine.page(current.found, from + 1, size - 1) : { items: [] };
    }).then(show).then(function () {
      if (mine !== generation) { return; }
      current.shown = Math.min(from + size, current.found.hits.length);
      statusRegion.textContent = describeCount(); /* once per page: it is a live region */
      moreButton.hidden = current.shown >= current.found.hits.length && current.found.done;
      if (focusFirst && firstNew) { firstNew.focus(); }
    });
  }

  function render(state) {
    generation += 1;
    var mine = generation;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    emptyHelp.hidden = true;
    moreButton.hidden = true;
    if (!state.q) {
      statusRegion.textContent = "请输入要查找的字词，例如单位名称或“预决算”。";
      document.title = document.title.replace(/^.*? - /, "搜索 - ");
      return Promise.resolve();
    }
    statusRegion.textContent = "正在查找……";
    document.title = document.title.replace(/^.*? - /, "搜索：" + state.q + " - ");
    return engine.search(state).then(function (found) {
      if (mine !== generation) { return null; }
      current = { state: state, found: found, shown: 0 };
      if (!found.words.length) {
        statusRegion.textContent = "请输入要查找的字词，例如单位名称或“预决算”；标点和符号不参与查找。";
        return null;
      }
      if (!found.total) {
        statusRegion.textContent = describeCount();
        emptyHelp.hidden = false;
        return null;
      }
      return showMore(false);
    }).catch(function (error) {
      if (mine === generation) { statusRegion.textContent = "搜索出错：" + error.message + "。请刷新页面再试。"; }
    });
  }

  function submit() {
    var state = stateFromForm();
    window.history.pushState(state, "", addressFor(state));
    render(state);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  [yearSelect, departmentSelect, unitSelect].forEach(function (select) {
    select.addEventListener("change", submit);
  });
  moreButton.addEventListener("click", function () { showMore(true); });
  window.addEventListener("popstate", function () {
    var state = readState();
    writeForm(state);
    render(state);
  });

  form.hidden = false;
  var noScript = document.getElementById("search-needs-js");
  if (noScript) { noScript.hidden = true; }
  var initial = readState();
  writeForm(initial);
  render(initial);
}());
