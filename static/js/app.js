// Small behaviours htmx does not cover: dialogs, focus after swaps, and status announcements.
(function () {
  "use strict";

  function dialogFor(el) {
    return document.getElementById(el.getAttribute("data-dialog-open"));
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-dialog-open]");
    if (opener) {
      var dialog = dialogFor(opener);
      if (dialog && !dialog.open) {
        delete dialog.dataset.dirty;
        dialog.showModal();
      }
      return;
    }
    var closer = event.target.closest("[data-dialog-close]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) closeIfConfirmed(open);
      return;
    }
    var filler = event.target.closest("[data-fill-example]");
    if (filler) {
      var id = filler.getAttribute("data-fill-example");
      var box = document.getElementById(id);
      var example = document.getElementById(id + "-example");
      if (box && example && (!box.value.trim() || window.confirm("Replace what you wrote with the example?"))) {
        box.value = example.textContent;
        box.dispatchEvent(new Event("input", { bubbles: true }));
        box.focus();
      }
    }
  });

  // Typing in a dialog marks it: closing it then asks first, so nothing typed is lost by accident.
  document.addEventListener("input", function (event) {
    var dialog = event.target.closest && event.target.closest("dialog");
    if (dialog && event.target.matches("input:not([type=radio]):not([type=checkbox]), textarea")) {
      dialog.dataset.dirty = "1";
    }
    var counter = event.target.getAttribute && event.target.getAttribute("data-counter");
    if (counter && document.getElementById(counter)) {
      document.getElementById(counter).textContent = String(event.target.value.length);
    }
  });

  function closeIfConfirmed(dialog) {
    if (dialog.dataset.dirty && !window.confirm("Discard this new job? What you typed will be lost.")) {
      return false;
    }
    delete dialog.dataset.dirty;
    dialog.close();
    return true;
  }

  // Escape asks too when something was typed.
  document.addEventListener("cancel", function (event) {
    if (event.target.tagName === "DIALOG") {
      event.preventDefault();
      closeIfConfirmed(event.target);
    }
  }, true);

  // A click on the backdrop (outside the dialog box) closes it, as people expect.
  document.addEventListener("mousedown", function (event) {
    if (event.target.tagName === "DIALOG" && event.target.open) {
      var box = event.target.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) closeIfConfirmed(event.target);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    // After the new-job form is swapped in, put focus where the person needs it.
    var form = document.getElementById("new-job-form");
    if (form && (target === form || target.id === "new-job-body" || form.contains(target))) {
      var invalid = form.querySelector("[aria-invalid='true'], .has-error input, .has-error select, .has-error textarea");
      var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
      if (invalid) {
        invalid.focus();
      } else if (trigger && trigger.target && trigger.target.name) {
        var again = form.querySelector("[name='" + trigger.target.name + "']" +
          (trigger.target.type === "radio" ? "[value='" + trigger.target.value + "']" : ""));
        if (again) again.focus();
      } else {
        var first = form.querySelector("input:not([type=hidden]), select, textarea");
        if (first) first.focus();
      }
    }
    // Say a job's new status once, in a region that survives the swaps.
    var announcer = document.getElementById("job-announcer");
    var status = document.querySelector("[data-announce]");
    if (announcer && status) {
      var text = status.getAttribute("data-announce");
      if (announcer.dataset.last !== text) {
        if (announcer.dataset.last) announcer.textContent = text;
        announcer.dataset.last = text;
      }
    }
  });

  // Tables that stack into cards on a phone name each cell by its column's heading.
  function labelCells(root) {
    (root || document).querySelectorAll(".review-queue table").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.querySelector(".sr-only") ? "" : th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[index] || "");
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelCells(); });
  document.addEventListener("htmx:afterSettle", function () { labelCells(); });

  // Progress bars carry their value in data-percent and get their width here: the content
  // security policy refuses style attributes, not styles set from a script.
  function fillBars() {
    document.querySelectorAll("[data-percent]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-percent")) || 0));
      bar.style.width = value + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", fillBars);
  document.addEventListener("htmx:load", fillBars);

  // The review queue stops refreshing while rows are picked for a bulk decision (checked here,
  // not in a trigger expression: the content security policy forbids evaluating strings).
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "queue-rows" && document.querySelector("input.bulk-pick:checked")) {
      event.preventDefault();
    }
  });

  // Errors from actions come back as 422 with the fragment to show; let htmx swap them in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
