// Pinned comments on the review page: a passage, an image region or a player's current time.
(function () {
  "use strict";
  const FIELDS = ["quote", "x", "y", "w", "h", "at_seconds"];
  const REGION = 0.12;

  function articleOf(node) { return node && node.closest ? node.closest("article.output") : null; }

  function setPin(article, kind, values, label) {
    const form = article && article.querySelector("form.comment-new");
    if (!form) return;
    form.querySelector("[name=anchor]").value = kind;
    FIELDS.forEach((name) => { form.querySelector(`[name=${name}]`).value = values[name] ?? ""; });
    form.querySelector(".pin-label").textContent = label;
    article.querySelectorAll(".pin-marker.is-pending").forEach((m) => m.remove());
  }

  function clock(seconds) {
    const m = Math.floor(seconds / 60), s = (seconds - m * 60).toFixed(1).padStart(4, "0");
    return `${m}:${s}`;
  }

  function marker(surface, x, y, w, h, label, extra) {
    const m = document.createElement("span");
    m.className = "pin-marker " + (extra || "");
    m.style.left = x * 100 + "%"; m.style.top = y * 100 + "%";
    m.style.width = w * 100 + "%"; m.style.height = h * 100 + "%";
    m.textContent = label;
    surface.appendChild(m);
  }

  function drawMarkers() {
    document.querySelectorAll(".pin-surface").forEach((surface) => {
      surface.querySelectorAll(".pin-marker:not(.is-pending)").forEach((m) => m.remove());
      articleOf(surface).querySelectorAll(".thread[data-anchor=region]").forEach((t) => {
        marker(surface, +t.dataset.x, +t.dataset.y, +t.dataset.w, +t.dataset.h, t.dataset.number,
          t.dataset.resolved ? "is-resolved" : "");
      });
    });
  }

  document.addEventListener("mouseup", (event) => {
    const box = event.target.closest && event.target.closest(".pin-text");
    if (!box) return;
    const selection = window.getSelection();
    const quote = selection.toString().replace(/\s+/g, " ").trim();
    if (!quote || !box.contains(selection.anchorNode)) return;
    const shown = quote.length > 80 ? quote.slice(0, 80) + "…" : quote;
    setPin(articleOf(box), "text", { quote }, `Pinned to “${shown}”`);
  });

  document.addEventListener("click", (event) => {
    const image = event.target.closest(".pin-surface img");
    if (image) {
      const r = image.getBoundingClientRect();
      const cx = (event.clientX - r.left) / r.width, cy = (event.clientY - r.top) / r.height;
      const x = Math.max(0, Math.min(1 - REGION, cx - REGION / 2));
      const y = Math.max(0, Math.min(1 - REGION, cy - REGION / 2));
      const article = articleOf(image);
      setPin(article, "region", { x: x.toFixed(4), y: y.toFixed(4), w: REGION, h: REGION },
        `Pinned to a region at ${Math.round(cx * 100)}%, ${Math.round(cy * 100)}%`);
      marker(image.closest(".pin-surface"), x, y, REGION, REGION, "+", "is-pending");
      return;
    }
    const pinTime = event.target.closest(".pin-time");
    if (pinTime) {
      const article = articleOf(pinTime);
      const player = article.querySelector("video, audio");
      if (!player) return;
      player.pause();
      setPin(article, "time", { at_seconds: player.currentTime.toFixed(2) },
        `Pinned at ${clock(player.currentTime)}`);
      return;
    }
    const timecode = event.target.closest(".timecode");
    if (timecode) {
      const player = articleOf(timecode).querySelector("video, audio");
      if (player) { player.pause(); player.currentTime = parseFloat(timecode.dataset.seconds); }
      return;
    }
    const clear = event.target.closest(".pin-clear");
    if (clear) setPin(articleOf(clear), "none", {}, "Not pinned: about the whole output.");
  });

  // Comment errors come back as 400 with the form and its message: show them in place.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 400 || status === 403) && event.detail.target.classList.contains("comments")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", drawMarkers);
  document.addEventListener("DOMContentLoaded", drawMarkers);
})();
