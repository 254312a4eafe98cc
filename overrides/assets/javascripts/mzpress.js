/*
 * mzpress reader tools (loaded on every page): the reader's toolbar in the header
 * (partials/mzpress/toolbar.html), the article's 打印本页 button, and the few things Material's
 * JavaScript bundle did for readers (the site does not load the bundle: 35 KB gzip, see
 * overrides/main.html): the back-to-top button, tables that fit a phone (stacked rows, or a box that scrolls
 * sideways), the menu's sections opened by keyboard, the phone menu closed after an in-page link, <details> opened for print.
 *
 * Display choices, each a class on <html>, stored in localStorage and applied before the first
 * paint by mzpress-head.js (same keys, same classes):
 * - 适老化模式  "mzpress.elder"    = "on"                 html.mz-elder
 * - 字号 大/中/小 "mzpress.size"   = "l" | "s" (中: none) html.mz-size-l / mz-size-s
 * - 配色        "mzpress.scheme"  = "contrast" | "mono"  html.mz-scheme-contrast (黑底黄字) / mz-scheme-mono (白底黑字)
 * - 纯文本      "mzpress.textonly" = "on"                html.mz-text-only
 * - the toolbar's panel left open "mzpress.toolbar" = "open"  html.mz-toolbar-open
 * - 指读 on     "mzpress.pointread" = "on"               (no class: nothing changes on screen)
 * 重置 removes every key and class.
 *
 * 朗读 uses the browser's own speech synthesis (window.speechSynthesis), nothing from elsewhere:
 * - 连读 reads the article from its title on, one utterance per paragraph (heading, list item: a list
 *   entry's title and meta line, then its summary; table row: each cell with its column's name, “类别：社会团体，拟评等级：4A”), marking the paragraph being read. 暂停 stops the voice and keeps the place;
 *   继续 reads on from the start of that paragraph (cancel and speak again: pause()/resume() do
 *   not work on every phone's browser). 停止 ends the reading.
 * - 指读 reads the element under the pointer (mouse or finger) or the element that takes the
 *   keyboard focus.
 * A zh-CN voice is chosen when the device has one. Without speech synthesis, or without a Chinese
 * voice, the toolbar's status line (aria-live) says so in Chinese.
 * Every control is a real <button>, so keyboards, touch and screen readers operate it like any button.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEYS = {
    elder: "mzpress.elder", size: "mzpress.size", scheme: "mzpress.scheme", text: "mzpress.textonly",
    panel: "mzpress.toolbar", point: "mzpress.pointread"
  };
  var SCHEMES = ["contrast", "mono"];

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch (e) { /* storage disabled: the choice lasts for this page only */ }
  }

  function stored(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }

  function each(selector, fn) { document.querySelectorAll(selector).forEach(fn); }

  function pressed(button, on) { button.setAttribute("aria-pressed", on ? "true" : "false"); }

  // ---- display choices -----------------------------------------------------------------
  function currentSize() {
    if (root.classList.contains("mz-size-l")) return "l";
    if (root.classList.contains("mz-size-s")) return "s";
    return "m";
  }

  function currentScheme() {
    for (var i = 0; i < SCHEMES.length; i++) if (root.classList.contains("mz-scheme-" + SCHEMES[i])) return SCHEMES[i];
    return "default";
  }

  var pointOn = stored(KEYS.point) === "on";

  function sync() {
    var elder = root.classList.contains("mz-elder"), size = currentSize(), scheme = currentScheme();
    var open = root.classList.contains("mz-toolbar-open");
    each("[data-mz-elder-toggle]", function (b) { pressed(b, elder); });
    each("[data-mz-size]", function (b) { pressed(b, b.getAttribute("data-mz-size") === size); });
    each("[data-mz-scheme]", function (b) { pressed(b, b.getAttribute("data-mz-scheme") === scheme); });
    each("[data-mz-text-only]", function (b) { pressed(b, root.classList.contains("mz-text-only")); });
    each("[data-mz-point]", function (b) { pressed(b, pointOn); });
    each("[data-mz-panel-toggle]", function (b) { b.setAttribute("aria-expanded", open ? "true" : "false"); });
    syncReading();
    queueTables(true);  // 适老化模式 and 字号 change how wide a table is
  }

  function setElder(on) { root.classList.toggle("mz-elder", on); store(KEYS.elder, on ? "on" : null); sync(); }

  function applySize(size) {
    root.classList.remove("mz-size-s", "mz-size-l");
    if (size === "s" || size === "l") root.classList.add("mz-size-" + size);
  }
  function setSize(size) { applySize(size); store(KEYS.size, size === "s" || size === "l" ? size : null); sync(); }

  function applyScheme(scheme) {
    SCHEMES.forEach(function (s) { root.classList.toggle("mz-scheme-" + s, s === scheme); });
  }
  function setScheme(scheme) {
    applyScheme(scheme);
    store(KEYS.scheme, SCHEMES.indexOf(scheme) >= 0 ? scheme : null);
    sync();
  }

  function setTextOnly(on) { root.classList.toggle("mz-text-only", on); store(KEYS.text, on ? "on" : null); sync(); }

  function setPanel(open) { root.classList.toggle("mz-toolbar-open", open); store(KEYS.panel, open ? "open" : null); sync(); }

  function reset() {
    silence();  // also what 指读 is saying (it does not count as reading): a late error must not override the message
    stopReading();
    pointOn = false;
    Object.keys(KEYS).forEach(function (name) { store(KEYS[name], null); });
    root.classList.remove("mz-elder", "mz-text-only");
    applySize("m");
    applyScheme("default");
    sync();  // the panel stays open on this page (the reader is in it), but is not remembered
    say("已恢复默认设置。");
  }

  // ---- the status line (aria-live) ---------------------------------------------------------
  function say(message) { each("[data-mz-status]", function (p) { p.textContent = message; }); }

  // ---- speech ------------------------------------------------------------------------------
  var MESSAGES = {
    unsupported: "您的浏览器不支持语音朗读。请换用较新版本的浏览器，或使用手机、电脑自带的读屏功能。",
    noChinese: "本设备未安装中文语音，朗读可能没有声音或读音不准。请在系统设置中添加中文（普通话）语音。",
    nothing: "本页没有可朗读的正文。",
    failed: "朗读出错，已停止。请稍后再试。",
    paused: "已暂停朗读，按“继续”接着读。",
    done: "朗读完毕。",
    pointOn: "指读已开启：鼠标指向、手指点按或键盘选中的内容会被读出。",
    pointOff: "指读已关闭。"
  };
  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, figcaption, blockquote, pre";
  // What 连读 reads one at a time: a table row by row, each cell with its column's name (data-mz-label).
  var READ_BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, tr, caption, figcaption, blockquote, pre";
  // Parts of the article that are not its text: tools, meta lines and the lists under it.
  var NOT_TEXT = ".mz-tools, .mz-article-meta, .mz-topics-line, .mz-record, .mz-related, .mz-prev-next, "
    + ".mz-print-url, .mz-preview-banner, .mz-page-errors, .md-source-file, [aria-hidden='true']";
  var POINTABLE = BLOCKS + ", a, button, label, summary, input, select, textarea, [role='button'], img[alt], "
    + ".mz-meta-item, .md-ellipsis";

  function speechSupported() {
    return !!(window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function");
  }

  function chineseVoice() {
    var voices = [];
    try { voices = window.speechSynthesis.getVoices() || []; } catch (e) { voices = []; }
    var lang = function (v) { return String(v.lang || "").replace("_", "-").toLowerCase(); };
    for (var i = 0; i < voices.length; i++) if (lang(voices[i]) === "zh-cn") return voices[i];
    for (var j = 0; j < voices.length; j++) if (/^(zh|cmn)(-hans)?($|-)/.test(lang(voices[j])) && !/-(hk|tw|mo)$/.test(lang(voices[j]))) return voices[j];
    return null;
  }

  // Checks before speaking: false when nothing can be spoken; a warning when no Chinese voice.
  function ready() {
    if (!speechSupported()) { say(MESSAGES.unsupported); return false; }
    if (!chineseVoice()) say(MESSAGES.noChinese);
    return true;
  }

  var token = 0;  // every utterance carries the token it was spoken under; cancel() invalidates it

  function silence() {
    token++;
    clearTimeout(pointTimer);  // what 指读 was about to say (a pointer resting 250 ms) is silenced too
    if (speechSupported()) { try { window.speechSynthesis.cancel(); } catch (e) { /* nothing to cancel */ } }
  }

  function speak(text, onEnd) {
    silence();
    var mine = token;
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    var voice = chineseVoice();
    if (voice) { try { utterance.voice = voice; } catch (e) { /* keep the lang */ } }
    utterance.onend = function () { if (mine === token && onEnd) onEnd(); };
    utterance.onerror = function (event) {
      if (mine !== token || event.error === "interrupted" || event.error === "canceled") return;
      stopReading();
      // Without a Chinese voice the engine refuses zh-CN text (language-unavailable, voice-unavailable or
      // synthesis-failed, by browser): that is what the reader was told already, not a passing fault.
      say(chineseVoice() ? MESSAGES.failed : MESSAGES.noChinese);
    };
    window.speechSynthesis.speak(utterance);
  }

  // A cell as read aloud: “拟评等级：4A” (the column's name from labelTable).
  function labelled(cell) {
    var text = cellText(cell), label = cell.getAttribute("data-mz-label");
    return label && text ? label + "：" + text : text;
  }

  // A row: its cells with their columns' names, “序号：1，社会组织名称：示例县老年协会，……”; empty cells left out.
  function rowText(row) {
    return Array.prototype.map.call(row.cells, labelled).filter(function (text) { return text !== ""; }).join("，");
  }

  function textOf(element) {
    if (element.tagName === "TR") return rowText(element);
    if (element.tagName === "TD" && element.hasAttribute("data-mz-label")) return labelled(element);
    var name = element.getAttribute("aria-label") || (element.tagName === "IMG" ? element.getAttribute("alt") : "");
    var labelledBy = element.getAttribute("aria-labelledby");
    if (!name && labelledBy) {
      name = labelledBy.split(/\s+/).map(function (id) {
        var label = document.getElementById(id);
        return label ? label.textContent : "";
      }).join(" ");
    }
    if (!name && element.labels && element.labels.length) name = element.labels[0].textContent;
    var text = (name || element.innerText || element.textContent || "").replace(/\s+/g, " ").trim();
    if (!text && element.value) text = String(element.value);
    if (!text) text = element.getAttribute("title") || element.getAttribute("placeholder") || "";
    return text.trim();
  }

  function visible(element) { return element.getClientRects().length > 0; }

  // What 连读 says for one block: a table row with its column names; a block that holds other blocks (a list
  // entry: its title and meta line, then its summary paragraph read on its own) only its own text; the parts
  // of a meta line (date, unit, status, 公示期) each separated by a comma, never run together.
  function readText(element) {
    if (element.tagName === "TR") return rowText(element);
    if (!element.querySelector(READ_BLOCKS + ", .mz-item-meta")) return textOf(element);
    var parts = [];
    (function walk(node, meta) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) { parts.push(child.nodeValue); continue; }
        if (child.nodeType !== 1 || child.getAttribute("aria-hidden") === "true" || !visible(child)) continue;
        if (child.matches(READ_BLOCKS) || child.matches(NOT_TEXT)) continue;  // read on its own, or not text
        var isMeta = child.classList.contains("mz-item-meta");
        var block = !/^inline/.test(window.getComputedStyle(child).display);
        if (meta || isMeta || block) parts.push("，");
        if (child.tagName === "IMG") continue;  // a card's cover: its alt text is not the card's text
        walk(child, isMeta);
      }
    })(element, false);
    return parts.join("").replace(/\s+/g, " ").replace(/\s*，[\s，]*/g, "，").replace(/^，|，$/g, "").trim();
  }

  // The article's paragraphs from its title on, in reading order, innermost blocks only; a table by its
  // caption and rows (not the header row of a simple table: its names are read with every cell).
  function readable(element) {
    if (element.tagName === "TR") return !element.hasAttribute("data-mz-header-row");
    if (element.tagName !== "CAPTION" && element.closest("table")) return false;  // read with its row
    return true;  // a block holding other blocks reads its own text (readText); empty ones are left out
  }

  function articleBlocks() {
    var article = document.querySelector("article.md-content__inner") || document.querySelector("main");
    if (!article) return [];
    var title = article.querySelector("h1");
    fitTables();  // the column names of every table
    return Array.prototype.filter.call(article.querySelectorAll(READ_BLOCKS), function (element) {
      if (element.closest(NOT_TEXT) || !readable(element) || !visible(element)) return false;
      if (title && element !== title && !(title.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING)) return false;
      return readText(element) !== "";
    });
  }

  var reading = { state: "idle", blocks: [], index: 0 };

  function mark(element) {
    each(".mz-reading", function (e) { e.classList.remove("mz-reading"); });
    if (element) {
      element.classList.add("mz-reading");
      if (element.scrollIntoView) element.scrollIntoView({ block: "nearest" });
    }
  }

  function readCurrent() {
    var element = reading.blocks[reading.index];
    if (!element) { stopReading(); say(MESSAGES.done); return; }
    mark(element);
    speak(readText(element), function () { reading.index++; readCurrent(); });
  }

  function startReading() {
    clearTimeout(pointTimer);  // the focus given to the button by the click is not read over the article
    if (!ready()) return;
    var blocks = articleBlocks();
    if (!blocks.length) { say(MESSAGES.nothing); return; }
    reading = { state: "reading", blocks: blocks, index: 0 };
    syncReading();
    readCurrent();
  }

  function pauseOrResume() {
    clearTimeout(pointTimer);
    if (reading.state === "reading") {
      reading.state = "paused";
      silence();
      say(MESSAGES.paused);
    } else if (reading.state === "paused") {
      reading.state = "reading";
      say("");
      readCurrent();
    }
    syncReading();
  }

  function stopReading() {
    if (reading.state !== "idle") silence();
    reading = { state: "idle", blocks: [], index: 0 };
    mark(null);
    syncReading();
  }

  function syncReading() {
    each("[data-mz-read='pause']", function (b) {
      b.disabled = reading.state === "idle";
      b.textContent = reading.state === "paused" ? "继续" : "暂停";
    });
    each("[data-mz-read='stop']", function (b) { b.disabled = reading.state === "idle"; });
    each("[data-mz-read='start']", function (b) { pressed(b, reading.state !== "idle"); });
  }

  function setPoint(on) {
    if (on && !ready()) on = false;
    pointOn = on;
    store(KEYS.point, on ? "on" : null);
    if (on) { stopReading(); if (chineseVoice()) say(MESSAGES.pointOn); } else { silence(); say(MESSAGES.pointOff); }
    sync();
  }

  var lastPointed = null, pointTimer = null;
  function pointAt(element, delay) {
    if (!pointOn || !element || element === lastPointed || !speechSupported()) return;
    lastPointed = element;
    clearTimeout(pointTimer);
    pointTimer = setTimeout(function () {
      var text = textOf(element);
      if (!text || !pointOn) return;
      if (reading.state !== "idle") stopReading();
      speak(text);
    }, delay);
  }

  document.addEventListener("pointerover", function (event) {
    var target = event.target && event.target.closest ? event.target.closest(POINTABLE) : null;
    if (target) pointAt(target, 250);
  });
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.nodeType === 1 && event.target !== document.body) pointAt(event.target, 0);
  });
  window.addEventListener("pagehide", function () { if (speechSupported()) silence(); });
  if (speechSupported() && window.speechSynthesis.addEventListener) {
    // Voices arrive asynchronously in some browsers: nothing to do but let chineseVoice() see them.
    window.speechSynthesis.addEventListener("voiceschanged", function () {});
  }

  // ---- keyboard and landmarks -------------------------------------------------------------
  // The skip link's target: partials/content.html puts it at the top of the article; pages whose
  // template replaces the content (the 404 page) get it here.
  function skipTarget() {
    if (document.getElementById("mz-content")) return;
    var article = document.querySelector("article.md-content__inner");
    if (article) { article.id = "mz-content"; article.tabIndex = -1; }
  }

  // Material labels a section's sub-navigation by its expand icon (an empty label): name it after the section.
  function nameSubNavs() {
    each("nav.md-nav[aria-labelledby]", function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      if (label && label.textContent.trim()) return;
      var item = nav.closest(".md-nav__item");
      var link = item && item.querySelector(".md-nav__container > a, .md-nav__link");
      var name = link ? link.textContent.replace(/\s+/g, " ").trim() : "";
      if (name) { nav.removeAttribute("aria-labelledby"); nav.setAttribute("aria-label", name); }
    });
  }

  // The phone menu (Material's drawer, a hidden checkbox #__drawer): the header's menu <button> opens and
  // closes it, with aria-expanded; opening moves the focus to the drawer's first link, Esc (or closing
  // it any other way while the focus is inside) gives the focus back to the button. Closed, the drawer
  // is visibility:hidden below 76.25em (mzpress.css), so its links are out of the Tab order.
  function drawerToggle() { return document.getElementById("__drawer"); }
  function drawerPanel() { return document.querySelector(".md-sidebar--primary"); }
  function setDrawer(open, focus) {
    var toggle = drawerToggle(), button = document.querySelector("[data-mz-drawer-button]");
    if (!toggle || toggle.checked === open) return;
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));  // Material follows the checkbox's change
    if (!focus) return;
    if (open) {
      var first = drawerPanel() && drawerPanel().querySelector("a[href], button, input, [tabindex='0']");
      if (first) first.focus();
    } else if (button) button.focus();
  }
  function syncDrawer() {
    var toggle = drawerToggle(), panel = drawerPanel();
    var open = !!(toggle && toggle.checked);
    each("[data-mz-drawer-button]", function (b) { b.setAttribute("aria-expanded", open ? "true" : "false"); });
    if (!open && panel && panel.contains(document.activeElement)) {
      var button = document.querySelector("[data-mz-drawer-button]");
      if (button && button.getClientRects().length) button.focus();
    }
  }
  function bindDrawer() {
    var toggle = drawerToggle(), panel = drawerPanel();
    if (panel && !panel.id) panel.id = "mz-drawer";
    if (toggle && !toggle.hasAttribute("data-mz-bound")) {
      toggle.setAttribute("data-mz-bound", "");
      toggle.addEventListener("change", syncDrawer);
    }
    on("[data-mz-drawer-button]", function () { setDrawer(!(drawerToggle() && drawerToggle().checked), true); });
    syncDrawer();
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawerToggle() && drawerToggle().checked) setDrawer(false, true);
  });

  // ---- tables -----------------------------------------------------------------------------
  // Plain tables (writers' Markdown: no classes) are wrapped as Material's bundle did; each cell of a simple
  // table (one header row, no merged cells) gets its column's name (data-mz-label). A table wider than its box
  // is shown as stacked rows, one "列名：值" line per cell (mzpress.css .mz-table-stacked): measured against a
  // sticky first column at 375 px, see tests/browser/test_tables.py. Tables that cannot be stacked scroll in
  // their box, then a named, focusable region under a visible cue. Measured again when the width, 字号 or
  // 适老化模式 changes.
  var TABLES = ".md-content table:not([class])";

  function cellText(cell) { return (cell.innerText || cell.textContent || "").replace(/\s+/g, " ").trim(); }

  // The column names of a simple table, or null: one header row (thead, or a first row of <th> only),
  // no colspan or rowspan anywhere.
  function columnNames(table) {
    var rows = Array.prototype.slice.call(table.rows);
    if (!rows.length) return null;
    for (var i = 0; i < rows.length; i++) {
      for (var j = 0; j < rows[i].cells.length; j++) {
        if (rows[i].cells[j].colSpan > 1 || rows[i].cells[j].rowSpan > 1) return null;
      }
    }
    var head = table.tHead ? table.tHead.rows : [];
    var header = head.length === 1 ? head[0] : null;
    if (!header && !head.length && Array.prototype.every.call(rows[0].cells, function (c) { return c.tagName === "TH"; })) {
      header = rows[0];
    }
    if (!header) return null;
    return { row: header, names: Array.prototype.map.call(header.cells, cellText) };
  }

  function labelTable(table) {
    if (table.hasAttribute("data-mz-table")) return;
    var columns = columnNames(table);
    table.setAttribute("data-mz-table", columns ? "simple" : "complex");
    if (!columns) return;
    columns.row.setAttribute("data-mz-header-row", "");
    Array.prototype.forEach.call(table.rows, function (row) {
      if (row === columns.row) return;
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        if (columns.names[index]) cell.setAttribute("data-mz-label", columns.names[index]);
      });
    });
  }

  function wrapTable(table) {
    if (table.parentElement.classList.contains("md-typeset__table")) return;
    var wrap = document.createElement("div"), inner = document.createElement("div");
    wrap.className = "md-typeset__scrollwrap";
    inner.className = "md-typeset__table";
    table.parentNode.insertBefore(wrap, table);
    inner.appendChild(table);
    wrap.appendChild(inner);
  }

  // Stacked, the table keeps its semantics for screen readers (some browsers drop them from elements no
  // longer displayed as a table): explicit roles while stacked.
  var STACKED_ROLES = [["table", "table"], ["thead, tbody, tfoot", "rowgroup"], ["tr", "row"], ["td", "cell"]];
  function stackRoles(table, on) {
    STACKED_ROLES.forEach(function (pair) {
      var elements = pair[0] === "table" ? [table] : table.querySelectorAll(pair[0]);
      Array.prototype.forEach.call(elements, function (e) {
        if (on) e.setAttribute("role", pair[1]); else e.removeAttribute("role");
      });
    });
  }

  function overflows(wrap) { return wrap.scrollWidth > wrap.clientWidth + 1; }

  function fitTable(wrap) {
    var table = wrap.querySelector("table");
    if (!table) return;
    if (table.getAttribute("data-mz-table") === "simple") {
      wrap.classList.remove("mz-table-stacked");  // measured as a table (synchronously: never painted so)
      var stack = overflows(wrap);
      wrap.classList.toggle("mz-table-stacked", stack);
      stackRoles(table, stack);
    }
    var scrolls = overflows(wrap);
    var cue = wrap.previousElementSibling && wrap.previousElementSibling.classList.contains("mz-table-cue")
      ? wrap.previousElementSibling : null;
    if (scrolls) {
      var caption = table.caption && table.caption.textContent.trim();
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? "表格：" + caption + "（可左右滑动）" : "表格（可左右滑动）");
      if (!cue) {
        cue = document.createElement("p");
        cue.className = "mz-table-cue";
        cue.textContent = "表格较宽，请左右滑动查看全部内容";
        wrap.parentNode.insertBefore(cue, wrap);
      }
      cue.hidden = false;
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
      if (cue) cue.hidden = true;
    }
  }

  function fitTables() {
    each(TABLES, function (table) { labelTable(table); wrapTable(table); });
    each(".md-content .md-typeset__scrollwrap", fitTable);
  }

  var tablesQueued = false, tablesWidth = 0;
  function queueTables(always) {
    if (!always && window.innerWidth === tablesWidth) return;  // a phone's toolbar sliding in is no resize
    tablesWidth = window.innerWidth;
    if (!tablesQueued) {
      tablesQueued = true;
      window.requestAnimationFrame(function () { tablesQueued = false; fitTables(); });
    }
  }
  window.addEventListener("resize", function () { queueTables(false); });

  // The menu's sections (Material's label[tabindex] for a hidden checkbox) open and close with Enter or
  // Space, like a button; the section's list says whether it is open (aria-expanded, as Material renders it).
  document.addEventListener("keydown", function (event) {
    var label = event.target;
    if ((event.key !== "Enter" && event.key !== " ") || label.tagName !== "LABEL" || !label.htmlFor
        || !label.hasAttribute("tabindex")) return;
    event.preventDefault();
    label.click();
  });
  document.addEventListener("change", function (event) {
    var toggle = event.target;
    if (!toggle.classList || !toggle.classList.contains("md-nav__toggle")) return;
    var nav = toggle.parentElement.querySelector(":scope > nav.md-nav[aria-expanded]");
    if (nav) nav.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
  });

  // An in-page link (a heading of the page in the phone menu, a footnote) closes the phone menu and opens
  // the <details> it points into.
  function revealTarget() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (malformed) { return; }  // "#%zz": no target
    var target = id && document.getElementById(id);
    var details = target && target.closest("details:not([open])");
    if (details) { details.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", function () { setDrawer(false, false); revealTarget(); });

  // Printing shows the text of every <details>; the ones opened for it close again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    openedForPrint.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  // The back-to-top button (Material's partials/top.html, feature navigation.top; placed by mzpress.css)
  // shows once the reader is a screen down the page. Used from the keyboard (or a screen reader) it also puts
  // the focus at the start of the page, the skip link, so the next Tab goes on from the top.
  var scrollQueued = false;
  function followScroll() {
    scrollQueued = false;
    var top = document.querySelector(".md-top");
    var hidden = window.pageYOffset < window.innerHeight;
    if (!top || hidden === top.hidden) return;
    top.hidden = hidden;
    if (hidden && document.activeElement === top) top.blur();
  }
  function queueScroll() {
    if (!scrollQueued) { scrollQueued = true; window.requestAnimationFrame(followScroll); }
  }
  window.addEventListener("scroll", queueScroll, { passive: true });
  window.addEventListener("resize", queueScroll);
  function bindTop() {
    each(".md-top:not([data-mz-bound])", function (top) {
      top.setAttribute("data-mz-bound", "");
      top.addEventListener("click", function (event) {
        window.scrollTo({ top: 0 });
        var start = document.querySelector(".mz-skip");
        if (event.detail === 0 && start) start.focus({ preventScroll: true });
        else top.blur();
      });
    });
    followScroll();
  }

  // ---- wiring -----------------------------------------------------------------------------
  function on(selector, handler) {
    each(selector + ":not([data-mz-bound])", function (element) {
      element.setAttribute("data-mz-bound", "");
      element.addEventListener("click", function () { handler(element); });
    });
  }

  function bind() {
    on("[data-mz-elder-toggle]", function () { setElder(!root.classList.contains("mz-elder")); });
    on("[data-mz-size]", function (b) { setSize(b.getAttribute("data-mz-size")); });
    on("[data-mz-scheme]", function (b) { setScheme(b.getAttribute("data-mz-scheme")); });
    on("[data-mz-text-only]", function () { setTextOnly(!root.classList.contains("mz-text-only")); });
    on("[data-mz-panel-toggle]", function () { setPanel(!root.classList.contains("mz-toolbar-open")); });
    on("[data-mz-reset]", reset);
    on("[data-mz-read='start']", function () { if (reading.state === "idle") startReading(); else stopReading(); });
    on("[data-mz-read='pause']", pauseOrResume);
    on("[data-mz-read='stop']", stopReading);
    on("[data-mz-point]", function () { setPoint(!pointOn); });
    on("[data-mz-print]", function () { window.print(); });
    each("[data-mz-panel]:not([data-mz-bound])", function (panel) {
      panel.setAttribute("data-mz-bound", "");
      // Esc closes the panel and gives the focus back to its button.
      panel.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") return;
        setPanel(false);
        var toggle = document.querySelector("[data-mz-panel-toggle]");
        if (toggle) toggle.focus();
      });
    });
    each("[data-mz-tools]", function (tools) { tools.hidden = false; });
    skipTarget();
    nameSubNavs();
    bindDrawer();
    fitTables();
    tablesWidth = window.innerWidth;
    bindTop();
    revealTarget();
    sync();
  }

  // Another tab changed a setting: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEYS.elder) root.classList.toggle("mz-elder", event.newValue === "on");
    else if (event.key === KEYS.size) applySize(event.newValue);
    else if (event.key === KEYS.scheme) applyScheme(event.newValue);
    else if (event.key === KEYS.text) root.classList.toggle("mz-text-only", event.newValue === "on");
    else if (event.key === KEYS.point) pointOn = event.newValue === "on";
    else if (event.key === null) { root.classList.remove("mz-elder", "mz-text-only"); applySize("m"); applyScheme("default"); pointOn = false; }
    else return;
    sync();
  });

  bind();
})();
