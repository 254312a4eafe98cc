/*
 * mzpress reader tools (loaded after Material's bundle, on every page).
 *
 * - 适老化模式: the header toggle adds/removes class "mz-elder" on <html>; the choice is
 *   stored in localStorage ("mzpress.elder") and applied before first paint on every
 *   page by mzpress-head.js.
 * - 字号 大/中/小: class "mz-size-l" / "mz-size-s" on <html> ("mzpress.size").
 * - 打印本页: the browser's print dialog; the print stylesheet in mzpress.css drops
 *   navigation, header and footer and prints the page's address.
 * Every control is a real <button> with aria-pressed, so keyboards and screen readers
 * operate it like any button.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  var ELDER_KEY = "mzpress.elder";
  var SIZE_KEY = "mzpress.size";

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch (e) { /* storage disabled: the choice lasts for this page only */ }
  }

  function currentSize() {
    if (root.classList.contains("mz-size-l")) return "l";
    if (root.classList.contains("mz-size-s")) return "s";
    return "m";
  }

  function sync() {
    var elder = root.classList.contains("mz-elder");
    document.querySelectorAll("[data-mz-elder-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", elder ? "true" : "false");
    });
    var size = currentSize();
    document.querySelectorAll("[data-mz-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-mz-size") === size ? "true" : "false");
    });
  }

  function setElder(on) {
    root.classList.toggle("mz-elder", on);
    store(ELDER_KEY, on ? "on" : null);
    sync();
  }

  function setSize(size) {
    root.classList.remove("mz-size-s", "mz-size-l");
    if (size === "s" || size === "l") root.classList.add("mz-size-" + size);
    store(SIZE_KEY, size === "m" ? null : size);
    sync();
  }

  function bind() {
    document.querySelectorAll("[data-mz-elder-toggle]:not([data-mz-bound])").forEach(function (button) {
      button.setAttribute("data-mz-bound", "");
      button.addEventListener("click", function () { setElder(!root.classList.contains("mz-elder")); });
    });
    document.querySelectorAll("[data-mz-size]:not([data-mz-bound])").forEach(function (button) {
      button.setAttribute("data-mz-bound", "");
      button.addEventListener("click", function () { setSize(button.getAttribute("data-mz-size")); });
    });
    document.querySelectorAll("[data-mz-print]:not([data-mz-bound])").forEach(function (button) {
      button.setAttribute("data-mz-bound", "");
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("[data-mz-tools]").forEach(function (tools) { tools.hidden = false; });
    sync();
  }

  // Another tab changed the setting: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === ELDER_KEY) { root.classList.toggle("mz-elder", event.newValue === "on"); sync(); }
    if (event.key === SIZE_KEY) {
      root.classList.remove("mz-size-s", "mz-size-l");
      if (event.newValue === "s" || event.newValue === "l") root.classList.add("mz-size-" + event.newValue);
      sync();
    }
  });

  bind();
  // With Material's instant navigation the page body is swapped without a reload.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(bind);
})();
