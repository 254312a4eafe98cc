/*
 * mzpress head script: loaded synchronously in <head>, before the page is painted.
 *
 * 1. Material's helpers, moved here from its inline script so that the site's
 *    Content-Security-Policy can forbid inline scripts. Material computes the scope
 *    from the page's base URL; this file lives at assets/javascripts/, so the site
 *    root is two levels up from its own URL.
 * 2. The reader's display choices, stored in localStorage by mzpress.js (the reader's
 *    toolbar), applied to <html> now so the page never flashes in the wrong size or colours:
 *    适老化模式 (mz-elder), 字号 (mz-size-s / -l), 配色 (mz-scheme-contrast 黑底黄字 /
 *    mz-scheme-mono 白底黑字), 纯文本 (mz-text-only) and the toolbar's panel left open
 *    (mz-toolbar-open). mzpress.js keeps the same keys and classes.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var here = script && script.src ? script.src : location.href;
  window.__md_scope = new URL("../..", here);
  window.__md_hash = function (e) {
    return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    return JSON.parse(storage.getItem(scope.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    try { storage.setItem(scope.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* storage full or disabled */ }
  };

  var root = document.documentElement;
  root.classList.add("mz-js");
  function stored(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; /* storage disabled: defaults */ }
  }
  var size = stored("mzpress.size"), scheme = stored("mzpress.scheme");
  if (stored("mzpress.elder") === "on") root.classList.add("mz-elder");
  if (size === "s" || size === "l") root.classList.add("mz-size-" + size);
  if (scheme === "contrast" || scheme === "mono") root.classList.add("mz-scheme-" + scheme);
  if (stored("mzpress.textonly") === "on") root.classList.add("mz-text-only");
  if (stored("mzpress.toolbar") === "open") root.classList.add("mz-toolbar-open");

  // Material's content-tab selection from the URL fragment (was an inline script).
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
  });
})();
