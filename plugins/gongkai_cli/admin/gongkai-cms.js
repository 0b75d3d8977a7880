/* Gongkai additions to Decap CMS (loaded after decap-cms.js, before it starts):
 * - the preview pane uses the public theme's stylesheet and shows an entry as its page will look;
 * - the gk-geojson widget edits a GeoJSON geometry (征地 outline) as a mapping, not a string.
 * No inline script: index.html loads this file, so a strict Content-Security-Policy can hold. */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  if (!CMS || !h || !createClass) {
    return;
  }

  // The theme's stylesheet from the preview origin (the editor's own origin serves only the editor).
  CMS.registerPreviewStyle((window.GONGKAI_PREVIEW_ORIGIN || "") + "/theme/css/site.css");

  function plain(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  function fieldByName(fields, name) {
    var list = plain(fields) || [];
    for (var i = 0; i < list.length; i += 1) {
      if (list[i].name === name) {
        return list[i];
      }
    }
    return null;
  }

  // The Chinese label of a select value, from the generated config (e.g. current -> 有效（current）).
  function optionLabel(field, value) {
    if (!field || !field.options) {
      return value;
    }
    for (var i = 0; i < field.options.length; i += 1) {
      if (field.options[i].value === value) {
        return field.options[i].label.replace(/（[^（）]*）$/, "");
      }
    }
    return value;
  }

  function text(value) {
    if (value === undefined || value === null || value === "") {
      return "—";
    }
    return String(value);
  }

  function row(a, b, c, d) {
    return h("tr", null, h("th", { scope: "row" }, a), h("td", null, text(b)),
      h("th", { scope: "row" }, c), h("td", null, text(d)));
  }

  function gateNotice(data) {
    var review = data.review || {};
    var ready = data.disclosure === "proactive" && review.status === "approved" && review.secrecy === "passed";
    if (ready) {
      return h("div", { className: "gk-preview-banner", role: "note" },
        h("strong", null, "预览"), "：审核已完成；到发布日期后，公开网站将显示此页。");
    }
    return h("div", { className: "gk-preview-banner", role: "note" },
      h("strong", null, "预览·未公开"), "：此条目尚未审定或不属于主动公开，不会出现在公开网站上。");
  }

  // A data block (budget / sangong / land) as nested tables labelled from the config.
  function dataBlock(fields, value) {
    if (value === undefined || value === null || value === "") {
      return null;
    }
    if (Array.isArray(value)) {
      return h("ol", null, value.map(function (item, i) {
        return h("li", { key: i }, dataBlock(fields, item));
      }));
    }
    if (typeof value === "object") {
      var specs = fields || [];
      var rows = specs.filter(function (f) {
        return value[f.name] !== undefined && value[f.name] !== null && value[f.name] !== "";
      }).map(function (f) {
        var v = value[f.name];
        var shown = f.widget === "select" ? optionLabel(f, v)
          : (f.widget === "object" || f.widget === "list") ? dataBlock(f.fields, v)
          : f.widget === GEO ? "（已填写地块范围）" : String(v);
        return h("tr", { key: f.name }, h("th", { scope: "row" }, f.label), h("td", null, shown));
      });
      return h("table", { className: "gk-meta" }, h("tbody", null, rows));
    }
    return String(value);
  }

  var GEO = "gk-geojson";

  var EntryPreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var fields = this.props.fields;
      var data = plain(entry.get("data")) || {};
      var column = data.column;
      var attachments = data.attachments || [];
      var changes = data.changes || [];
      var block = column ? fieldByName(fields, column) : null;
      return h("main", { id: "content", className: "gk-main" },
        gateNotice(data),
        h("article", null,
          h("h1", null, text(data.title)),
          h("table", { className: "gk-meta" },
            h("caption", null, "信息索引"),
            h("tbody", null,
              row("索引号", data.index_no, "主题分类", data.topic),
              row("发布机构", data.publisher, "栏目", this.props.collection.get("label")),
              row("文号", data.doc_no, "有效性", optionLabel(fieldByName(fields, "validity"), data.validity || "current")),
              row("成文日期", data.date_written, "发布日期", data.date_published))),
          block ? h("section", { "aria-label": block.label }, dataBlock(block.fields, data[column])) : null,
          h("div", { className: "gk-body" }, this.props.widgetFor("body")),
          attachments.length ? h("section", { className: "gk-attachments" },
            h("h2", null, "附件"),
            h("ul", null, attachments.map(function (att, i) {
              return h("li", { key: i }, text(att.title), " （", text(att.file), "）");
            }))) : null,
          changes.length ? h("section", null,
            h("h2", null, "变更说明"),
            h("ul", null, changes.map(function (ch, i) {
              return h("li", { key: i }, text(ch.date), "：", text(ch.note));
            }))) : null));
    }
  });

  var PagePreview = createClass({
    render: function () {
      var data = plain(this.props.entry.get("data")) || {};
      return h("main", { id: "content", className: "gk-main" },
        h("article", null, h("h1", null, text(data.title)),
          h("div", { className: "gk-body" }, this.props.widgetFor("body"))));
    }
  });

  // gk-geojson: a textarea holding the geometry as JSON; saved as a YAML mapping.
  var GeoJsonControl = createClass({
    getInitialState: function () {
      var value = plain(this.props.value);
      return { text: value ? JSON.stringify(value, null, 2) : "", error: "" };
    },
    isValid: function () {
      return this.state.error ? { error: { message: this.state.error } } : true;
    },
    handleChange: function (event) {
      var raw = event.target.value;
      if (!raw.trim()) {
        this.setState({ text: raw, error: "" });
        this.props.onChange(undefined);
        return;
      }
      try {
        var parsed = JSON.parse(raw);
        if (!parsed || typeof parsed !== "object" || !parsed.type) {
          throw new Error("no type");
        }
        this.setState({ text: raw, error: "" });
        this.props.onChange(parsed);
      } catch (e) {
        this.setState({ text: raw, error: "地块范围应为 GeoJSON 几何对象，如 {\"type\": \"Polygon\", \"coordinates\": [...]}" });
      }
    },
    render: function () {
      return h("textarea", {
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: this.state.text,
        rows: 8,
        spellCheck: false,
        onChange: this.handleChange,
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle
      });
    }
  });

  var GeoJsonPreview = createClass({
    render: function () {
      return h("p", null, this.props.value ? "（已填写地块范围）" : "—");
    }
  });

  // ---- check's own messages next to the fields. The proxy runs `invoke check` on every save and
  // every merge of a draft (gongkai_cli/editor_check.py); a refusal carries the problems as data
  // ({key: "review.approved_on", line, message}). Decap shows the refusal as a notice; here each
  // message is put above the field its key names (the deepest one shown when a block is folded),
  // and listed in a box at the top of the form. Nothing is saved until check agrees.
  var API = "/api/v1";
  var style = document.createElement("style");
  style.textContent =
    ".gk-check-error{display:block;width:100%;box-sizing:border-box;color:#b3261e;font-size:14px;margin:0 0 6px;padding:4px 8px;border-left:3px solid #b3261e;background:#fdecea}" +
    "#gk-check-summary{position:fixed;left:50%;transform:translateX(-50%);bottom:12px;z-index:400;max-width:760px;" +
    "max-height:40vh;overflow:auto;background:#fff;color:#1f1f1f;border:2px solid #b3261e;border-radius:6px;padding:10px 14px;" +
    "box-shadow:0 2px 12px rgba(0,0,0,.25);font-size:14px}#gk-check-summary ul{margin:6px 0;padding-left:20px}";
  document.head.appendChild(style);

  function labelFor(name, within) {
    var labels = (within || document).querySelectorAll("label[for]");
    var found = [];
    var pattern = new RegExp("^" + name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-field-\\d+$");
    for (var i = 0; i < labels.length; i += 1) {
      if (pattern.test(labels[i].getAttribute("for"))) {
        found.push(labels[i]);
      }
    }
    return found;
  }

  // The label of the field a problem's key names: content/x.md's "attachments[1].file" is the label
  // "file" inside the second item of "attachments"; a folded block gives its own label.
  function fieldOf(key) {
    var parts = String(key || "").split(".");
    var within = null;
    var best = null;
    for (var i = 0; i < parts.length; i += 1) {
      var m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(parts[i]);
      if (!m) {
        break;
      }
      var labels = labelFor(m[1], within);
      if (!labels.length) {
        break;
      }
      best = labels[0];
      within = boxOf(best);
      if (m[2] !== undefined) {
        var next = parts[i + 1] && /^([^[\]]+)/.exec(parts[i + 1]);
        var items = next ? labelFor(next[1], within) : [];
        var item = items[Number(m[2])];
        if (!item) {
          break;
        }
        best = item;
        within = boxOf(item);
        i += 1;
      }
    }
    return best;
  }

  // The box of one field (its label, control, hint and Decap's own error list; nested fields inside).
  function boxOf(label) {
    return (label.closest && label.closest("[class*='ControlContainer']")) || label.parentNode;
  }

  function clearProblems() {
    var old = document.querySelectorAll(".gk-check-error, #gk-check-summary");
    for (var i = 0; i < old.length; i += 1) {
      old[i].parentNode.removeChild(old[i]);
    }
  }

  function showProblems(problems) {
    clearProblems();
    var summary = document.createElement("section");
    summary.id = "gk-check-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("aria-label", "invoke check 的检查结果");
    var heading = document.createElement("strong");
    heading.textContent = "未保存：invoke check 发现 " + problems.length + " 处问题，请按提示修改后再保存";
    summary.appendChild(heading);
    var list = document.createElement("ul");
    problems.forEach(function (p) {
      var label = fieldOf(p.key);
      var text = p.message + "（第 " + p.line + " 行" + (p.key ? "，" + p.key : "") + "）";
      var item = document.createElement("li");
      item.textContent = (label ? "“" + label.textContent.replace(/ \(可选\)$/, "") + "”：" : "") + text;
      list.appendChild(item);
      if (label) {
        var note = document.createElement("p");
        note.className = "gk-check-error";
        note.setAttribute("data-key", p.key);
        note.textContent = text;
        var box = boxOf(label);
        box.parentNode.insertBefore(note, box);
      }
    });
    summary.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "关闭";
    close.addEventListener("click", function () {
      summary.parentNode.removeChild(summary);
    });
    summary.appendChild(close);
    document.body.appendChild(summary);
  }

  var CHECKED = { persistEntry: true, publishUnpublishedEntry: true };
  var realFetch = window.fetch;
  window.fetch = function (input, init) {
    var action = null;
    if (String(input) === API && init && typeof init.body === "string") {
      try {
        action = JSON.parse(init.body).action;
      } catch (e) {
        action = null;
      }
    }
    var answer = realFetch.apply(this, arguments);
    if (!CHECKED[action]) {
      return answer;
    }
    clearProblems();
    return answer.then(function (response) {
      if (!response.ok) {
        response.clone().json().then(function (body) {
          if (body && body.problems && body.problems.length) {
            showProblems(body.problems);
          }
        }, function () {});
      }
      return response;
    });
  };

  // ---- how many required fields are missing: Decap's notice says only that one is; count the
  // fields it marked and say which.
  var REQUIRED = /^“(.+)”是必填项$/;
  function countMissing(toast) {
    var marked = document.querySelectorAll("li");
    var names = [];
    for (var i = 0; i < marked.length; i += 1) {
      var m = REQUIRED.exec(marked[i].textContent.trim());
      if (m && names.indexOf(m[1]) < 0) {
        names.push(m[1]);
      }
    }
    if (names.length) {
      toast.textContent = "还有 " + names.length + " 个必填项未填写：" + names.join("、") + "。请补全后再保存";
    }
  }
  var missingText = ((window.GONGKAI_LOCALE || {}).ui || {}).toast;
  missingText = missingText && missingText.missingRequiredField;
  // Decap prefixes a refusal's message with its error's English type (“API_ERROR: ”): left out.
  var ERROR_TYPE = /\b[A-Z]+_ERROR: /g;
  function withoutErrorType(node) {
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (ERROR_TYPE.test(walker.currentNode.nodeValue)) {
        walker.currentNode.nodeValue = walker.currentNode.nodeValue.replace(ERROR_TYPE, "");
      }
      ERROR_TYPE.lastIndex = 0;
    }
  }
  if (missingText && window.MutationObserver) {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        Array.prototype.forEach.call(record.addedNodes, function (node) {
          if (node.nodeType === 1 && node.textContent.indexOf("_ERROR: ") >= 0) {
            withoutErrorType(node);
          }
          if (node.nodeType !== 1 || node.textContent.indexOf(missingText) < 0) {
            return;
          }
          var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            if (walker.currentNode.nodeValue.indexOf(missingText) >= 0) {
              var target = walker.currentNode.parentNode;
              window.setTimeout(function () { countMissing(target); }, 50);
              return;
            }
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  // gk-date: a date written and shown as 2025-01-20 (year first) in every browser; 今天 fills in
  // today. Saved as that text, which is what `invoke check` reads; a wrong date is refused here.
  var DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  function realDate(text) {
    var m = DATE.exec(text);
    if (!m) {
      return false;
    }
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function dateText(value) {
    value = plain(value);
    if (value instanceof Date && !isNaN(value.getTime())) {
      return value.toISOString().slice(0, 10); // a YAML timestamp read by Decap: the day as written
    }
    return value === undefined || value === null ? "" : String(value);
  }
  var DateControl = createClass({
    isValid: function () {
      var value = dateText(this.props.value);
      if (value === "" || realDate(value)) {
        return true;
      }
      var label = this.props.field.get("label");
      return { error: { message: "“" + label + "”应写成 年-月-日，如 2025-01-20（“" + value + "”不是这样的日期）" } };
    },
    handleChange: function (event) {
      var raw = event.target.value.trim();
      this.props.onChange(raw === "" ? undefined : raw);
    },
    render: function () {
      var self = this;
      return h("div", { style: { display: "flex", gap: "8px", alignItems: "center" } },
        h("input", {
          type: "text",
          id: this.props.forID,
          className: this.props.classNameWrapper,
          value: dateText(this.props.value),
          placeholder: "2025-01-20",
          inputMode: "numeric",
          autoComplete: "off",
          onChange: this.handleChange,
          onFocus: this.props.setActiveStyle,
          onBlur: this.props.setInactiveStyle
        }),
        h("button", {
          type: "button",
          style: { flex: "none", whiteSpace: "nowrap", padding: "6px 12px" },
          onClick: function () { self.props.onChange(today()); }
        }, "今天"));
    }
  });
  var DatePreview = createClass({
    render: function () {
      return h("span", null, text(dateText(this.props.value)));
    }
  });
  CMS.registerWidget("gk-date", DateControl, DatePreview);

  // gk-index-no: the 索引号 of a new entry follows its 发布机构: `invoke edit` answers the next free
  // number (drafts included) of the code that publisher's entries use. Once the editor writes a
  // number of their own, it is left alone; an existing entry's number is never changed.
  var IndexNoControl = createClass({
    componentDidMount: function () {
      var self = this;
      // Decap re-renders a field only when its own value changes: the 发布机构 is heard as it is typed
      this.onInput = function (event) {
        var target = event.target;
        if (target && /^publisher-field-/.test(target.id || "")) {
          self.refresh(target.value);
        }
      };
      document.addEventListener("input", this.onInput, true);
      var entry = this.props.entry;
      this.refresh(entry ? entry.getIn(["data", "publisher"]) : "");
    },
    componentWillUnmount: function () {
      window.clearTimeout(this.timer);
      document.removeEventListener("input", this.onInput, true);
    },
    untouched: function (value) {
      return !value || value === this.auto || value === this.props.field.get("default");
    },
    refresh: function (written) {
      var entry = this.props.entry;
      var collection = this.props.collection;
      if (!entry || !collection || !entry.get("newRecord")) {
        return;
      }
      var publisher = String(written || "").trim();
      if (this.asked === publisher || !this.untouched(plain(this.props.value))) {
        return;
      }
      this.asked = publisher;
      var self = this;
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(function () {
        realFetch.call(window, API, {
          method: "POST",
          headers: { "Content-Type": "application/json; charset=utf-8" },
          body: JSON.stringify({
            action: "gongkaiNextIndexNo",
            params: { collection: collection.get("name"), publisher: publisher }
          })
        }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (answer) {
          var now = plain(self.props.value);
          if (!answer || !answer.index_no || !self.untouched(now)) {
            return;
          }
          self.auto = answer.index_no;
          if (now !== answer.index_no) {
            self.props.onChange(answer.index_no);
          }
        }, function () {});
      }, publisher ? 400 : 0);
    },
    render: function () {
      var value = plain(this.props.value);
      var self = this;
      return h("input", {
        type: "text",
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: value === undefined || value === null ? "" : String(value),
        autoComplete: "off",
        onChange: function (event) {
          self.props.onChange(event.target.value);
        },
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle
      });
    }
  });
  var IndexNoPreview = createClass({
    render: function () {
      return h("span", null, text(plain(this.props.value)));
    }
  });
  CMS.registerWidget("gk-index-no", IndexNoControl, IndexNoPreview);

  CMS.registerWidget(GEO, GeoJsonControl, GeoJsonPreview);
  (window.GONGKAI_COLUMNS || []).forEach(function (name) {
    CMS.registerPreviewTemplate(name, EntryPreview);
  });
  CMS.registerPreviewTemplate("pages", PagePreview);
}());
