// Live regions: an element with data-live-stream opens a server-sent event stream and is
// refreshed (its htmx "live-change" trigger) when the stream says something changed, or is
// replaced by the fragment the stream sends itself (a job page's stream, "fragment" events).
// While the stream is open, the element's own polling is skipped except for a slow safety
// refresh; when it is closed or refused, polling carries on as before.
(function () {
  "use strict";

  var SAFETY_MS = 15000;
  var DEBOUNCE_MS = 60;
  var streams = {};

  function renderedVersion(element) {
    return parseInt(element.getAttribute("data-live-version"), 10) || 0;
  }

  function refresh(id) {
    var stream = streams[id];
    if (!stream || stream.timer) {
      return;
    }
    // Notices often come in bursts (a step's run, its outputs, its history): one refresh.
    stream.timer = setTimeout(function () {
      stream.timer = null;
      var element = document.getElementById(id);
      if (element) {
        stream.wanted = true;
        htmx.trigger(element, "live-change");
      }
    }, DEBOUNCE_MS);
  }

  function open(element) {
    var id = element.id;
    var url = element.getAttribute("data-live-stream");
    var seen = element.getAttribute("data-live-seen");
    var stream = { url: url, open: false, timer: null, wanted: false, lastFetch: Date.now() };
    stream.source = new EventSource(seen === null ? url : url + "&seen=" + encodeURIComponent(seen));
    stream.source.addEventListener("open", function () { stream.open = true; });
    stream.source.addEventListener("error", function () {
      // The browser reconnects by itself unless the server refused the stream.
      stream.open = stream.source.readyState === EventSource.OPEN;
    });
    stream.source.addEventListener("hello", function (event) {
      var current = document.getElementById(id);
      var version = JSON.parse(event.data).version;
      if (current && version !== renderedVersion(current)) {
        refresh(id);
      }
    });
    stream.source.addEventListener("change", function () { refresh(id); });
    stream.source.addEventListener("fragment", function (event) {
      var current = document.getElementById(id);
      var data = JSON.parse(event.data);
      if (!current) {
        return;
      }
      stream.lastFetch = Date.now();
      htmx.swap(current, data.html, { swapStyle: "outerHTML", swapDelay: 0, settleDelay: 0 });
      if (data.outputs) {
        htmx.trigger(document.body, "outputs-changed");
      }
    });
    streams[id] = stream;
  }

  function watch() {
    Object.keys(streams).forEach(function (id) {
      var element = document.getElementById(id);
      if (!element || element.getAttribute("data-live-stream") !== streams[id].url) {
        streams[id].source.close();
        delete streams[id];
      }
    });
    document.querySelectorAll("[data-live-stream]").forEach(function (element) {
      if (element.id && !streams[element.id] && window.EventSource) {
        open(element);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", watch);
  document.addEventListener("htmx:afterSettle", watch);

  // A poll while the stream is open only goes out as the slow safety refresh.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var stream = streams[event.detail.elt.id];
    if (!stream) {
      return;
    }
    var now = Date.now();
    if (stream.wanted || !stream.open || now - stream.lastFetch >= SAFETY_MS) {
      stream.wanted = false;
      stream.lastFetch = now;
      return;
    }
    event.preventDefault();
  });
})();
