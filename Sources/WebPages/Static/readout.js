// Readout's one script: live numbers on an experiment's page. The page works without it.
// The server pushes an event on /experiments/{id}/live when a refresh changes the results;
// EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
(function () {
  "use strict";
  var page = document.querySelector("article.experiment[data-experiment]");
  if (!page || !window.EventSource) { return; }
  var id = page.getAttribute("data-experiment");
  var mode = new URLSearchParams(window.location.search).get("mode") || "itt";
  var source = new EventSource("/experiments/" + encodeURIComponent(id) + "/live?mode=" + encodeURIComponent(mode));
  source.addEventListener("results", function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    var fields = data.fields || {};
    Object.keys(fields).forEach(function (name) {
      var nodes = page.querySelectorAll('[data-field="' + CSS.escape(name) + '"]');
      nodes.forEach(function (node) {
        var value = fields[name];
        if (node.tagName === "METER") { node.value = Number(value); return; }
        if (node.textContent !== String(value)) {
          node.textContent = String(value);
          node.classList.add("updated");
          window.setTimeout(function () { node.classList.remove("updated"); }, 1500);
        }
      });
    });
    var lists = data.lists || {};
    Object.keys(lists).forEach(function (name) {
      var holder = page.querySelector('[data-list="' + CSS.escape(name) + '"]');
      if (!holder) { return; }
      var tag = holder.tagName === "UL" ? "li" : holder.firstElementChild ? holder.firstElementChild.tagName.toLowerCase() : "p";
      var className = holder.firstElementChild ? holder.firstElementChild.className : "";
      holder.replaceChildren.apply(holder, lists[name].map(function (text) {
        var item = document.createElement(tag);
        item.textContent = text;
        if (className) { item.className = className; }
        return item;
      }));
    });
    var charts = data.charts || {};
    Object.keys(charts).forEach(function (name) {
      var holder = page.querySelector('[data-chart="' + CSS.escape(name) + '"]');
      if (holder) {
        var parsed = new DOMParser().parseFromString(charts[name], "image/svg+xml").documentElement;
        if (parsed && parsed.nodeName === "svg") { holder.replaceChildren(document.importNode(parsed, true)); }
      }
    });
  });
})();
