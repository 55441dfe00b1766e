// Compare page: the image overlay slider and two players kept in step.
(function () {
  "use strict";
  document.addEventListener("input", (event) => {
    const slider = event.target.closest(".overlay-slider");
    if (!slider) return;
    const overlay = slider.closest("section").querySelector("[data-overlay] .overlay-top");
    overlay.style.clipPath = `inset(0 ${100 - slider.value}% 0 0)`;
  });

  function link(a, b) {
    let busy = false;
    const mirror = (from, to) => {
      // Play and pause follow even while a mirrored seek is under way (pressing play right
      // after a seek); their own checks stop the echo, `busy` only guards seeks.
      from.addEventListener("play", () => { if (to.paused) to.play().catch(() => {}); });
      from.addEventListener("pause", () => { if (!to.paused) to.pause(); });
      from.addEventListener("seeked", () => {
        if (busy || Math.abs(to.currentTime - from.currentTime) < 0.05) return;
        busy = true;
        to.currentTime = from.currentTime;
        to.addEventListener("seeked", () => { busy = false; }, { once: true });
      });
    };
    mirror(a, b);
    mirror(b, a);
    // Drift while playing is corrected against the left player.
    setInterval(() => {
      if (!a.paused && !b.paused && Math.abs(a.currentTime - b.currentTime) > 0.25) {
        b.currentTime = a.currentTime;
      }
    }, 500);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-synced]").forEach((grid) => {
      const a = grid.querySelector(".sync-lead"), b = grid.querySelector(".sync-follow");
      if (a && b) link(a, b);
    });
  });
})();
