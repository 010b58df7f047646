// The index's search box: filters search.json (label, alternates, class, path of every
// labelled resource) by label, case-insensitively. No markup is built from the data:
// every text goes in as textContent, every link as a relative path of the site.
"use strict";
(function () {
  const form = document.getElementById("search-form");
  const input = document.getElementById("search");
  const results = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !input || !results) return;
  const LIMIT = 50;
  let items = null;
  let loading = null;

  function load() {
    if (!loading) {
      loading = fetch(form.dataset.index || "search.json", {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { items = Array.isArray(data) ? data : []; return items; })
        .catch(function () { items = []; return items; });
    }
    return loading;
  }

  function safePath(path) {
    // Only relative paths of the site: never javascript:, data: or another host.
    return typeof path === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(path)
      && !path.startsWith("//");
  }

  function show(query) {
    const q = query.trim().toLowerCase();
    results.replaceChildren();
    if (!q) { if (status) status.textContent = ""; return; }
    const found = items.filter(function (item) {
      const names = [item.label].concat(item.alternates || []);
      return names.some(function (n) { return String(n).toLowerCase().includes(q); });
    });
    for (const item of found.slice(0, LIMIT)) {
      if (!safePath(item.path)) continue;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = item.path;
      a.textContent = item.label;
      li.appendChild(a);
      if (item["class"]) {
        const small = document.createElement("small");
        small.textContent = " " + item["class"];
        li.appendChild(small);
      }
      results.appendChild(li);
    }
    if (status) {
      status.textContent = found.length === 0 ? "Nothing found."
        : found.length > LIMIT ? found.length + " found; the first " + LIMIT + " shown."
        : found.length + " found.";
    }
  }

  input.addEventListener("input", function () {
    load().then(function () { show(input.value); });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load().then(function () { show(input.value); });
  });
  if (input.value) load().then(function () { show(input.value); });
})();
