// Live regions: an element with data-live-stream opens a server-sent event stream and is
// refreshed (its htmx "live-change" trigger) when the stream says something changed, or is
// replaced by the fragment the stream sends itself ("fragment" events), or has only the pieces
// that changed replaced (the dashboard's list, "patch" events).
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

  function make(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // A patch names every piece of the list (rows by their job, the cards, the pager) with the
  // rev of what it shows, and carries the html of the pieces that changed since the stream's
  // last push. Pieces the page shows at that rev stay as they are (focus, selection and all);
  // when one is missing, nothing changes and the page fetches the whole list instead.
  function patch(list, data) {
    var body = list.querySelector("tbody");
    var shownRows = {};
    var shown = {};
    list.querySelectorAll("tr.job-row[data-rev]").forEach(function (row) {
      shownRows[row.getAttribute("data-job")] = row;
    });
    list.querySelectorAll("[data-piece][data-rev]").forEach(function (piece) {
      shown[piece.getAttribute("data-piece")] = piece;
    });
    function piece(key, rev, kept) {
      if (Object.prototype.hasOwnProperty.call(data.html, key)) {
        return make(data.html[key]);
      }
      return kept && kept.getAttribute("data-rev") === rev ? kept : null;
    }
    var rows = data.rows.map(function (row) { return piece(row[0], row[1], shownRows[row[0]]); });
    var cards = piece("cards", data.cards, shown.cards);
    var pager = piece("pager", data.pager, shown.pager);
    if (!body || !cards || !pager || !shown.cards || !shown.pager || rows.indexOf(null) !== -1) {
      return false;
    }
    var added = rows.filter(function (row) { return !row.isConnected; });
    // Rows change in place first, so that when the order is the same no row moves: a row
    // taken out of the page, even to put it back, loses the focus it holds.
    var wanted = {};
    data.rows.forEach(function (row, index) { wanted[row[0]] = rows[index]; });
    Object.keys(shownRows).forEach(function (job) {
      var old = shownRows[job];
      if (!wanted[job]) {
        old.remove();
      } else if (wanted[job] !== old) {
        old.replaceWith(wanted[job]);
      }
    });
    rows.forEach(function (row, index) {
      if (body.children[index] !== row) {
        body.insertBefore(row, body.children[index] || null);
      }
    });
    [[shown.cards, cards], [shown.pager, pager]].forEach(function (pair) {
      if (pair[0] !== pair[1]) {
        pair[0].replaceWith(pair[1]);
        added.push(pair[1]);
      }
    });
    list.setAttribute("data-live-version", data.version);
    added.forEach(function (element) {
      htmx.process(element);
      htmx.trigger(element, "htmx:load");  // new content: progress bars get their width
    });
    return true;
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
    stream.source.addEventListener("patch", function (event) {
      var current = document.getElementById(id);
      if (!current) {
        return;
      }
      if (patch(current, JSON.parse(event.data))) {
        stream.lastFetch = Date.now();
      } else {
        refresh(id);
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
