/* The search page: reads ?q=&year=&department=&unit= from the address, queries the lunr index
   built at build time, and lists what it finds. Every query term is required; a hit is kept only
   when its text really contains what was typed, so results never surprise the reader.
   Results are built with DOM methods (textContent), never from HTML strings. */
(function () {
  "use strict";
  var data = window.ZWGK_SEARCH_DOCS;
  var serialized = window.ZWGK_SEARCH_INDEX;
  var tokenizer = window.zwgkTokenize;
  var form = document.getElementById("search-form");
  if (!data || !serialized || !tokenizer || !window.lunr || !window.zwgkSearchCore || !form) { return; }

  var engine = window.zwgkSearchCore.createSearch(serialized, data, window.lunr, tokenizer);
  var normalize = tokenizer.normalize;

  var input = document.getElementById("search-q");
  var yearSelect = document.getElementById("search-year");
  var departmentSelect = document.getElementById("search-department");
  var unitSelect = document.getElementById("search-unit");
  var statusRegion = document.getElementById("search-status");
  var resultsList = document.getElementById("search-results");
  var emptyHelp = document.getElementById("search-empty");
  var base = resultsList.getAttribute("data-root") || "../";

  function option(select, value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    select.appendChild(element);
  }

  var years = [];
  data.plans.forEach(function (plan) {
    if (years.indexOf(plan.year) < 0) { years.push(plan.year); }
  });
  years.sort(function (a, b) { return b - a; }).forEach(function (year) { option(yearSelect, String(year), year + "年"); });
  Object.keys(data.departments).forEach(function (id) { option(departmentSelect, id, data.departments[id]); });
  Object.keys(data.unitNames).forEach(function (id) { option(unitSelect, id, data.unitNames[id]); });

  function readState() {
    var params = new URLSearchParams(window.location.search);
    return {
      q: params.get("q") || "",
      year: params.get("year") || "",
      department: params.get("department") || "",
      unit: params.get("unit") || ""
    };
  }

  function writeForm(state) {
    input.value = state.q;
    yearSelect.value = state.year;
    departmentSelect.value = state.department;
    unitSelect.value = state.unit;
  }

  function stateFromForm() {
    return { q: input.value.trim(), year: yearSelect.value, department: departmentSelect.value, unit: unitSelect.value };
  }

  function addressFor(state) {
    var params = new URLSearchParams();
    ["q", "year", "department", "unit"].forEach(function (key) {
      if (state[key]) { params.set(key, state[key]); }
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  /* Text with every occurrence of the query parts wrapped in <mark>, cut to a window around the first. */
  function highlighted(text, parts, limit) {
    var chars = Array.from(text);
    var normalizedChars = chars.map(function (ch) { return normalize(ch); });
    var flat = normalizedChars.join("");
    var owner = [];
    normalizedChars.forEach(function (piece, position) {
      for (var i = 0; i < piece.length; i++) { owner.push(position); }
    });
    var marked = chars.map(function () { return false; });
    var first = -1;
    parts.forEach(function (part) {
      var from = flat.indexOf(part);
      while (from >= 0 && part) {
        for (var i = from; i < from + part.length; i++) { marked[owner[i]] = true; }
        if (first < 0 || owner[from] < first) { first = owner[from]; }
        from = flat.indexOf(part, from + part.length);
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

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  /* What a result shows: its address, title, one line about it and, for a measure, a snippet. */
  function describe(ref) {
    var kind = ref.charAt(0);
    var number = Number(ref.slice(1));
    if (kind === "m") {
      var measure = data.measures[number];
      var plan = data.plans[measure.plan];
      return {
        url: measure.url, title: measure.path || plan.title,
        meta: plan.title + " · " + plan.year + "年" + (measure.leads.length ? " · 牵头：" + measure.leads.join("、") : ""),
        texts: [measure.text, measure.status, measure.units]
      };
    }
    if (kind === "p") {
      var found = data.plans[number];
      return { url: found.url, title: found.title, meta: "计划 · " + found.issuer + " · " + found.year + "年", texts: [] };
    }
    var unit = data.units[number];
    return {
      url: unit.url, title: unit.name, texts: [],
      meta: "单位 · 牵头 " + unit.leads + " 项，配合及其他 " + unit.supports + " 项"
    };
  }

  function resultItem(ref, parts) {
    var shown = describe(ref);
    var item = element("li", "search-result");
    var link = element("a");
    link.href = base + shown.url;
    link.appendChild(highlighted(shown.title, parts, 0));
    item.appendChild(element("h2", "search-result__title")).appendChild(link);
    item.appendChild(element("p", "search-result__meta", shown.meta));
    if (shown.texts.length) {
      /* The snippet comes from the first text that holds what was typed (else the measure itself). */
      var source = shown.texts.filter(function (text) {
        var normalized = normalize(text);
        return parts.some(function (part) { return normalized.indexOf(part) >= 0; });
      })[0] || shown.texts[0];
      item.appendChild(element("p", "search-result__snippet")).appendChild(highlighted(source, parts, 120));
    }
    return item;
  }

  function render(state) {
    while (resultsList.firstChild) { resultsList.removeChild(resultsList.firstChild); }
    emptyHelp.hidden = true;
    if (!state.q) {
      statusRegion.textContent = "请输入要查找的字词，例如单位名称或“预决算”。";
      document.title = document.title.replace(/^.*? - /, "搜索 - ");
      return;
    }
    var parts = engine.parts(state.q);
    var hits = engine.search(state);
    hits.forEach(function (hit) { resultsList.appendChild(resultItem(hit.ref, parts)); });
    if (hits.length) {
      statusRegion.textContent = "找到 " + hits.length + " 条与“" + state.q + "”有关的结果。";
    } else {
      statusRegion.textContent = "没有找到与“" + state.q + "”有关的结果。";
      emptyHelp.hidden = false;
    }
    document.title = document.title.replace(/^.*? - /, "搜索：" + state.q + " - ");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var state = stateFromForm();
    window.history.pushState(state, "", addressFor(state));
    render(state);
  });
  [yearSelect, departmentSelect, unitSelect].forEach(function (select) {
    select.addEventListener("change", function () {
      var state = stateFromForm();
      window.history.pushState(state, "", addressFor(state));
      render(state);
    });
  });
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
