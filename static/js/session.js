// The session page a coach keeps open (#14): the clock, and each part saving as the coach
// goes. A static file because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // The clock: elapsed time since the session's clock started (or its scheduled start), and
  // the running check-in or check-out against its time box. Times come from the server (Unix
  // seconds); the offset to this device's clock is taken once per rendering of the clock.
  var offset = null;

  function mmss(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var clock = document.querySelector("[data-session-clock]");
    if (!clock) {
      return;
    }
    var serverNow = Number(clock.getAttribute("data-server-now"));
    if (clock.getAttribute("data-offset") === null) {
      clock.setAttribute("data-offset", String(serverNow - Date.now() / 1000));
    }
    offset = Number(clock.getAttribute("data-offset"));
    var now = Date.now() / 1000 + offset;
    var elapsed = clock.querySelector("[data-clock-elapsed]");
    var started = clock.getAttribute("data-started");
    if (elapsed && started) {
      elapsed.textContent = now >= Number(started) ? mmss(now - Number(started)) : "–";
    }
    clock.querySelectorAll("[data-clock-running]").forEach(function (figure) {
      var seconds = now - Number(figure.getAttribute("data-since"));
      figure.textContent = mmss(seconds);
      var over = seconds > Number(figure.getAttribute("data-max")) * 60;
      figure.classList.toggle("text-danger", over);
      figure.classList.toggle("clock-over", over);
    });
  }

  tick();
  window.setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);

  // Autosave: a change in a part's form sends it (hx-trigger="change"); the server answers
  // such a save with the part's "saved" mark only, so text typed meanwhile stays.
  function stateOf(form) {
    return form.querySelector("[data-saved-state]");
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var trigger = event.detail.triggeringEvent;
    if (trigger && trigger.type === "change" && event.detail.elt.matches("[data-autosave]")) {
      event.detail.headers["X-Autosave"] = "1";
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("[data-autosave]")) {
      var state = stateOf(form);
      if (state) {
        state.textContent = state.getAttribute("data-msg-saving");
        state.className = "saved-state small ms-2 text-muted";
      }
    }
  });

  function failed(event) {
    var form = event.detail.elt;
    if (!(form.matches && form.matches("[data-autosave]"))) {
      return;
    }
    form.setAttribute("data-unsaved", "");
    var state = stateOf(form);
    if (state) {
      state.textContent = state.getAttribute("data-msg-failed");
      state.className = "saved-state small ms-2 text-danger";
    }
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);

  // Back online: send again what could not be saved.
  window.addEventListener("online", function () {
    document.querySelectorAll("form[data-unsaved]").forEach(function (form) {
      form.removeAttribute("data-unsaved");
      window.htmx.trigger(form, "change");
    });
  });
})();
