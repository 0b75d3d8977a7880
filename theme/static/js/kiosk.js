/* Touch-screen kiosk mode (查阅点, GONGKAI_TOUCH / invoke mirror --touch): loaded only by pages
   built in that mode (html.gk-touch). Works from file:// (no fetch, no storage needed).
   - the page returns to the home page after data-gk-idle seconds without a touch or a key;
   - no way out of the site: a link to another site (or another scheme: mailto:, tel:) becomes
     plain text with its address, a link to a data file (CSV, JSON, feed, sitemap) its name as
     text, and the context menu is off;
   - an on-screen keyboard (components/touch-keyboard) for every search box, since a kiosk has
     no input method: it types into the box through the DOM (value + an input event) and submits
     the box's form, so the search page's own script needs to know nothing about it. */
(function () {
  "use strict";
  var root = document.documentElement;
  if (!root.classList.contains("gk-touch")) return;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function home() {
    return new URL(document.body.getAttribute("data-gk-home") || "index.html", window.location.href);
  }

  /* ---- idle return ------------------------------------------------------------------------- */
  function startIdle(keyboard) {
    var seconds = parseInt(document.body.getAttribute("data-gk-idle"), 10) || 120;
    var timer = null;
    function goHome() {
      var target = home();
      if (window.location.href.split("#")[0] === target.href && !window.location.search) {
        keyboard.close();
        each(document.querySelectorAll("input[type=search]"), function (i) { i.value = ""; });
        window.scrollTo(0, 0);
        reset();
      } else {
        window.location.replace(target.href);
      }
    }
    function reset() {
      window.clearTimeout(timer);
      timer = window.setTimeout(goHome, seconds * 1000);
    }
    ["pointerdown", "touchstart", "keydown", "wheel", "input"].forEach(function (name) {
      window.addEventListener(name, reset, { capture: true, passive: true });
    });
    reset();
  }

  /* ---- no way out ------------------------------------------------------------------------- */
  function leaves(a) {
    var url;
    try {
      url = new URL(a.getAttribute("href"), window.location.href);
    } catch (e) {
      return true;
    }
    if (url.protocol !== window.location.protocol) return true;
    return url.protocol !== "file:" && url.host !== window.location.host;
  }

  /* data files (CSV, JSON, feeds, the sitemap) open outside the site's pages, with no way back
     on a kiosk: their links become their names, as text */
  function dataFile(a) {
    return a.hasAttribute("download") || /\.(csv|json|xml)$/i.test(a.pathname || "");
  }

  function closeExits() {
    each(document.querySelectorAll("a[href]"), function (a) {
      if (!leaves(a) && dataFile(a)) {
        var name = document.createElement("span");
        name.className = "gk-outside gk-outside--data";
        name.textContent = a.textContent.trim();
        a.parentNode.replaceChild(name, a);
      } else if (leaves(a)) {
        var text = document.createElement("span");
        text.className = "gk-outside";
        var href = a.getAttribute("href");
        var label = a.textContent.trim();
        text.textContent = label && label !== href ? label + "（网址：" + href + "）" : href;
        a.parentNode.replaceChild(text, a);
      } else {
        a.removeAttribute("target");
      }
    });
    document.addEventListener("contextmenu", function (e) { e.preventDefault(); });
  }

  /* ---- on-screen keyboard ----------------------------------------------------------------- */
  function keyboardFor(panel) {
    var field = null;
    var shown = panel ? panel.querySelector("[data-keyboard-value]") : null;
    function sync() { if (shown && field) shown.textContent = field.value; }
    function open(input) {
      field = input;
      panel.hidden = false;
      root.classList.add("gk-keyboard-open");
      sync();
    }
    function close() {
      if (!panel) return;
      panel.hidden = true;
      root.classList.remove("gk-keyboard-open");
    }
    if (!panel) return { close: close };
    each(document.querySelectorAll("input[type=search]"), function (input) {
      input.setAttribute("inputmode", "none"); // no system keyboard on the touch screen
      input.setAttribute("autocomplete", "off");
      input.addEventListener("focus", function () { open(input); });
      input.addEventListener("input", sync);
    });
    panel.addEventListener("click", function (e) {
      var button = e.target.closest("button");
      if (!button || !field) return;
      var key = button.getAttribute("data-key");
      var action = button.getAttribute("data-action");
      if (key !== null) {
        field.value += key;
      } else if (action === "space") {
        field.value += " ";
      } else if (action === "back") {
        field.value = Array.from(field.value).slice(0, -1).join("");
      } else if (action === "clear") {
        field.value = "";
      } else if (action === "search") {
        close();
        var form = field.form;
        if (form) {
          if (form.requestSubmit) form.requestSubmit();
          else form.submit();
        }
        return;
      } else if (action === "close") {
        close();
        return;
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      sync();
    });
    return { close: close };
  }

  function init() {
    closeExits();
    var keyboard = keyboardFor(document.querySelector("[data-module=gk-keyboard]"));
    startIdle(keyboard);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
