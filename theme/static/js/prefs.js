/* 适老化 reading preferences (large font, high contrast) and small progressive enhancements.
   Loaded in <head> without defer so a remembered mode applies before the first paint.
   Reading never needs this file: without it the toggles stay hidden and tables scroll by CSS. */
(function () {
  "use strict";
  var KEY = "gongkai.prefs";
  var MODES = { large: "gk-large", contrast: "gk-contrast" };
  var root = document.documentElement;

  function load() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) {
      return {}; // storage disabled (privacy mode, file:// policy): modes just are not remembered
    }
  }

  function save(prefs) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch (e) { /* not remembered, still applied on this page */ }
  }

  function apply(prefs) {
    Object.keys(MODES).forEach(function (name) {
      root.classList.toggle(MODES[name], prefs[name] === true);
    });
  }

  root.classList.add("gk-js");
  apply(load());

  /* Tables of an entry's body (Markdown) read on a phone like the theme's own: each cell gets its
     column heading as data-label and the table the gk-cards class (site.css stacks it into cards
     below 40em). Tables whose cells span rows or columns keep scrolling instead. */
  function labelTables() {
    var tables = document.querySelectorAll("main table:not(.gk-cards):not(.gk-list):not(.gk-meta)");
    Array.prototype.forEach.call(tables, function (table) {
      /* figures right-aligned in tabular digits in every body table, spanning cells or not */
      Array.prototype.forEach.call(table.querySelectorAll("td"), function (cell) {
        if (/^[-+−]?[\d,]+(\.\d+)?%?$/.test(cell.textContent.trim())) cell.classList.add("gk-num");
      });
      var head = table.tHead && table.tHead.rows.length === 1 ? table.tHead.rows[0] : null;
      if (!head || head.cells.length < 3 || table.querySelector("[colspan], [rowspan]")) return;
      var labels = Array.prototype.map.call(head.cells, function (c) { return c.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (cell.tagName === "TD" && labels[i] && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", labels[i]);
            }
          });
        });
      });
      table.classList.add("gk-cards");
    });
  }

  /* Wide tables scroll inside a labelled region that keyboard users can focus and scroll. */
  function wrapTables() {
    var tables = document.querySelectorAll("main table:not(.gk-list):not(.gk-meta)");
    Array.prototype.forEach.call(tables, function (table, i) {
      var box = table.parentNode;
      if (!box.classList || !box.classList.contains("gk-scroll")) {
        box = document.createElement("div");
        box.className = "gk-scroll";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      var caption = table.querySelector("caption");
      if (box.scrollWidth > box.clientWidth + 1) {
        if (caption) {
          if (!caption.id) caption.id = "gk-caption-" + (i + 1);
          box.setAttribute("aria-labelledby", caption.id);
        } else {
          box.setAttribute("aria-label", "表格");
        }
        box.setAttribute("role", "region");
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("role");
        box.removeAttribute("tabindex");
        box.removeAttribute("aria-labelledby");
        box.removeAttribute("aria-label");
      }
    });
  }

  function init() {
    var group = document.querySelector("[data-module=gk-prefs]");
    if (group) {
      var buttons = group.querySelectorAll("button[data-pref]");
      var sync = function () {
        var prefs = load();
        Array.prototype.forEach.call(buttons, function (b) {
          b.setAttribute("aria-pressed", prefs[b.getAttribute("data-pref")] === true ? "true" : "false");
        });
      };
      Array.prototype.forEach.call(buttons, function (b) {
        b.addEventListener("click", function () {
          var prefs = load();
          var name = b.getAttribute("data-pref");
          prefs[name] = b.getAttribute("aria-pressed") !== "true";
          save(prefs);
          apply(prefs);
          b.setAttribute("aria-pressed", prefs[name] ? "true" : "false");
          wrapTables();
        });
      });
      sync();
      group.hidden = false;
    }
    labelTables();
    wrapTables();
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(wrapTables, 150);
    });
    /* Printing shows every collapsed budget detail. */
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.setAttribute("open", "");
        d.setAttribute("data-gk-print-opened", "");
      });
      /* paper shows each link's full address (site.css prints it after the link text) */
      Array.prototype.forEach.call(document.querySelectorAll("main a[href]:not([href^='#'])"), function (a) {
        if (!/^https?:$/.test(a.protocol)) return;
        var full = a.href;
        try { full = decodeURI(full); } catch (e) { /* keep it encoded */ }
        a.setAttribute("data-gk-print-href", full);
      });
    });
    window.addEventListener("afterprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("[data-gk-print-href]"), function (a) {
        a.removeAttribute("data-gk-print-href");
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-gk-print-opened]"), function (d) {
        d.removeAttribute("open");
        d.removeAttribute("data-gk-print-opened");
      });
    });
  }

  /* Another tab changed the mode: follow it, buttons included. */
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) {
      var prefs = load();
      apply(prefs);
      Array.prototype.forEach.call(document.querySelectorAll("[data-module=gk-prefs] button[data-pref]"), function (b) {
        b.setAttribute("aria-pressed", prefs[b.getAttribute("data-pref")] === true ? "true" : "false");
      });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
