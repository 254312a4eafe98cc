/*
 * mzpress: the search page (search/, partials/mzpress/search-page.html). Only this page loads this file,
 * and this file loads the search code (Pagefind, written by the build into pagefind/) and the pieces of
 * the index a query needs only once there is something to search for: no other page downloads any of it.
 *
 * Everything shown comes from the index, which comes from published pages: it is untrusted text. Titles,
 * dates and units are set with textContent; an excerpt is split at Pagefind's <mark> tags and every
 * piece is decoded and inserted as text, so no other markup can reach the page.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-mz-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-mz-search-status]");
  var list = document.querySelector("[data-mz-search-results]");
  var more = document.querySelector("[data-mz-search-more]");
  var PAGE = 10;          // results shown at once
  var DELAY = 120;        // ms after the last keystroke
  var LEADING_PUNCTUATION = /^[\s，、。；：！？…,.;:!?）)」』”’]+/;

  var engine = null;      // the loaded Pagefind module (a promise)
  var current = null;     // {query, results, shown}
  var sequence = 0;       // answers to older queries are dropped
  var timer = 0;

  function say(text) { status.textContent = text; }

  function load() {
    if (!engine) {
      var code = new URL(form.getAttribute("data-engine"), location.href).href;
      var root = new URL(form.getAttribute("data-root"), location.href).pathname;
      engine = import(code).then(function (pagefind) {
        return pagefind.options({ baseUrl: root, excerptLength: 40 }).then(function () {
          return pagefind.init();
        }).then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });  // a later query tries again
    }
    return engine;
  }

  // Text of an HTML fragment without elements (entities decoded): a textarea's content is never parsed as tags.
  // Pagefind's Chinese segmentation leaves zero-width spaces between words; a reader copying text gets none.
  var decoder = document.createElement("textarea");
  function decoded(fragment) { decoder.innerHTML = fragment; return decoder.value.replace(/\u200b/g, ""); }

  function excerptNode(excerpt) {
    var paragraph = document.createElement("p");
    paragraph.className = "mz-search__excerpt";
    var parts = String(excerpt || "").split(/(<mark>|<\/mark>)/);
    var marked = false, first = true;
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      var text = decoded(part);
      if (first) { text = text.replace(LEADING_PUNCTUATION, ""); if (text) first = false; }
      if (!text) return;
      if (marked) {
        var mark = document.createElement("mark");
        mark.textContent = text;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(text));
      }
    });
    return paragraph;
  }

  function resultNode(data) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    item.className = "mz-search__result";
    var link = document.createElement("a");
    link.className = "mz-search__title";
    link.href = data.url;
    link.textContent = meta.title || data.url;
    var heading = document.createElement("h2");
    heading.appendChild(link);
    item.appendChild(heading);
    if (meta.date || meta.unit) {
      var line = document.createElement("p");
      line.className = "mz-search__meta";
      if (meta.date) {
        var date = document.createElement("span");
        date.textContent = "发布时间：" + meta.date;
        line.appendChild(date);
      }
      if (meta.unit) {
        var unit = document.createElement("span");
        unit.textContent = "来源：" + meta.unit;
        line.appendChild(unit);
      }
      item.appendChild(line);
    }
    item.appendChild(excerptNode(data.excerpt));
    return item;
  }

  function showMore(state) {
    var slice = state.results.slice(state.shown, state.shown + PAGE);
    return Promise.all(slice.map(function (result) { return result.data(); })).then(function (pages) {
      if (state !== current) return;
      pages.forEach(function (data) { list.appendChild(resultNode(data)); });
      state.shown += slice.length;
      more.hidden = state.shown >= state.results.length;
    });
  }

  function search(query) {
    var mine = ++sequence;
    if (!query) {
      current = null;
      list.textContent = "";
      more.hidden = true;
      say("请输入要搜索的字词。");
      return Promise.resolve();
    }
    if (!engine) say("正在加载搜索……");
    return load().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (answer) {
      if (mine !== sequence) return;
      var state = { query: query, results: answer.results, shown: 0 };
      current = state;
      list.textContent = "";
      if (!state.results.length) {
        more.hidden = true;
        say("没有找到与“" + query + "”有关的内容。可以换一个词，或少输入几个字再试。");
        return;
      }
      return showMore(state).then(function () {
        if (state === current) say("找到" + state.results.length + "条与“" + query + "”有关的结果。");
      });
    }).catch(function () {
      if (mine !== sequence) return;
      say("搜索暂时无法使用（搜索文件没有加载成功），请稍后再试，或从网站地图查找栏目。");
    });
  }

  function queryInAddress(query) {
    var url = new URL(location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = input.value.trim();
      queryInAddress(query);
      search(query);
    }, DELAY);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var query = input.value.trim();
    queryInAddress(query);
    search(query);
  });
  more.addEventListener("click", function () { if (current) showMore(current); });

  var asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    input.value = asked;
    search(asked.trim());
  }
})();
