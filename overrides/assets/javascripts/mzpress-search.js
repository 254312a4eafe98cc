/*
 * mzpress: the search page (search/, partials/mzpress/search-page.html). Only this page loads this file, and this
 * file fetches the search index (written by the build into search-index/, mzpress/publishing/full_text_index.py)
 * piece by piece once there is something to search for: index.json, one postings shard per key of the query and
 * the pack of documents of each result shown (documents are packed index.pack to a file, newest first, so the
 * first results mostly share a pack; a pack is fetched once). No other page downloads any of it.
 *
 * Keys: every single Chinese character, every pair and triple of adjacent ones, every Latin/digit word (ASCII
 * letters lower-cased), exactly as full_text_index.py makes them; a term of 1-3 Chinese characters (or one word)
 * is found exactly, a longer or mixed one is confirmed in the document's text before it is shown.
 *
 * Everything shown comes from the index, which comes from published pages: it is untrusted text. Titles, dates,
 * units and excerpts are set with textContent; a highlighted word is a <mark> element holding text.
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
  var BEFORE = 16;        // characters of an excerpt before the first match
  var LENGTH = 72;        // characters of an excerpt in all
  var LEADING_PUNCTUATION = /^[\s，、。；：！？…,.;:!?）)」』”’]+/;
  var RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;
  var CHINESE = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
  var TITLE_KEY = "^";
  var FORMAT = 2;         // the index format this script reads (full_text_index.FORMAT)

  var folder = new URL(form.getAttribute("data-index"), location.href);
  var root = new URL(form.getAttribute("data-root"), location.href);
  var index = null;       // index.json (a promise)
  var shards = {};        // shard number -> its postings (a promise)
  var packs = {};         // pack number -> its documents (a promise)
  var current = null;     // {query, candidates, next, shown, confirm, terms, meta}
  var sequence = 0;       // answers to older queries are dropped
  var timer = 0;

  function say(text) { status.textContent = text; }

  function fetched(path) {
    return fetch(new URL(path, folder).href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(path + ": " + response.status);
      return response.json();
    });
  }

  function cached(store, name, path) {
    if (!store[name]) {
      store[name] = fetched(path);
      store[name].catch(function () { delete store[name]; });  // a later query tries again
    }
    return store[name];
  }

  function load() {
    if (!index) {
      index = fetched("index.json").then(function (meta) {
        // An index of another format (a build older or newer than this script) is not read wrongly.
        if (meta.format !== FORMAT) throw new Error("search index format " + meta.format);
        return meta;
      });
      index.catch(function () { index = null; });
    }
    return index;
  }

  function folded(text) { return String(text).replace(/[A-Z]+/g, function (s) { return s.toLowerCase(); }); }

  // FNV-1a (32-bit) of the key's code points, as full_text_index.shard_of computes it.
  function shardOf(key, count) {
    var hash = 0x811c9dc5;
    for (var character of key) hash = Math.imul(hash ^ character.codePointAt(0), 0x01000193);
    return (hash >>> 0) % count;
  }

  function ids(meta, key) {
    var shard = shardOf(key, meta.shards);
    return cached(shards, shard, "postings/" + shard + ".json").then(function (postings) {
      var found = new Set();
      var encoded = Object.prototype.hasOwnProperty.call(postings, key) ? postings[key] : "";
      var total = 0;
      if (encoded) encoded.split(",").forEach(function (gap) { total += parseInt(gap, 36); found.add(total); });
      return found;
    });
  }

  // The terms of a query: their keys, whether those are exact, the folded term to confirm otherwise.
  function terms(query) {
    return query.split(/\s+/).map(function (term) {
      var text = folded(term), keys = [], runs = text.match(RUN) || [];
      runs.forEach(function (run) {
        if (CHINESE.test(run) && run.length > 3) {
          for (var i = 0; i + 3 <= run.length; i++) keys.push(run.slice(i, i + 3));
        } else {
          keys.push(run);
        }
      });
      var exact = runs.length === 1 && runs[0] === text && keys.length === 1;
      return { text: text, keys: Array.from(new Set(keys)), exact: exact };
    }).filter(function (term) { return term.keys.length > 0; });
  }

  function intersection(sets) {
    return sets.reduce(function (all, set) {
      return all === null ? set : new Set(Array.from(all).filter(function (id) { return set.has(id); }));
    }, null) || new Set();
  }

  function byNumber(a, b) { return a - b; }

  // Candidate documents, title matches first, then newest first (documents are numbered newest first).
  function candidates(meta, asked) {
    var keys = [];
    asked.forEach(function (term) { keys = keys.concat(term.keys); });
    keys = Array.from(new Set(keys));
    return Promise.all([
      Promise.all(keys.map(function (key) { return ids(meta, key); })),
      Promise.all(keys.map(function (key) { return ids(meta, TITLE_KEY + key); })),
    ]).then(function (sets) {
      var found = intersection(sets[0]), titled = intersection(sets[1]);
      var first = [], rest = [];
      found.forEach(function (id) { (titled.has(id) ? first : rest).push(id); });
      return first.sort(byNumber).concat(rest.sort(byNumber));
    });
  }

  // An excerpt of the document's text around the first match, every match in it marked.
  function excerptNode(text, asked) {
    var paragraph = document.createElement("p");
    paragraph.className = "mz-search__excerpt";
    text = String(text || "").replace(/\s+/g, " ");
    var haystack = folded(text), first = -1;
    asked.forEach(function (term) {
      var at = haystack.indexOf(term.text);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = first < 0 ? 0 : Math.max(0, first - BEFORE);
    var boundary = Math.max(text.lastIndexOf("。", first), text.lastIndexOf("！", first), text.lastIndexOf("？", first));
    if (first >= 0 && boundary >= start) start = boundary + 1;
    var end = Math.min(text.length, start + LENGTH);
    var piece = text.slice(start, end), lower = haystack.slice(start, end);
    var lead = piece.match(LEADING_PUNCTUATION);
    if (lead) { piece = piece.slice(lead[0].length); lower = lower.slice(lead[0].length); }
    if (start > 0 && !(boundary >= 0 && start === boundary + 1)) paragraph.appendChild(document.createTextNode("…"));
    var at = 0;
    while (at < piece.length) {
      var next = -1, length = 0;
      asked.forEach(function (term) {
        var found = lower.indexOf(term.text, at);
        if (found >= 0 && (next < 0 || found < next || (found === next && term.text.length > length))) {
          next = found; length = term.text.length;
        }
      });
      if (next < 0) { paragraph.appendChild(document.createTextNode(piece.slice(at))); break; }
      if (next > at) paragraph.appendChild(document.createTextNode(piece.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + length);
      paragraph.appendChild(mark);
      at = next + length;
    }
    if (end < text.length) paragraph.appendChild(document.createTextNode("…"));
    return paragraph;
  }

  function resultNode(meta, asked) {
    var item = document.createElement("li");
    item.className = "mz-search__result";
    var link = document.createElement("a");
    link.className = "mz-search__title";
    link.href = new URL(meta.url, root).href;
    link.textContent = meta.title || meta.url;
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
    item.appendChild(excerptNode(meta.text, asked));
    return item;
  }

  function confirmed(data, state) {
    var text = folded(data.title + "\n" + data.text);
    return state.confirm.every(function (term) { return text.indexOf(term) >= 0; });
  }

  // Document ``id``: item id % pack of pack floor(id / pack), as full_text_index.pack_of finds it.
  function documentOf(meta, id) {
    var pack = Math.floor(id / meta.pack);
    return cached(packs, pack, "documents/" + pack + ".json").then(function (items) {
      var data = items[id - pack * meta.pack];
      if (!data) throw new Error("document " + id + " is not in its pack");
      return data;
    });
  }

  // The next results of the state's query: documents fetched a page at a time (each pack once), those that do not
  // confirm skipped.
  function showMore(state) {
    var slice = state.candidates.slice(state.next, state.next + PAGE);
    state.next += slice.length;
    return Promise.all(slice.map(function (id) {
      return documentOf(state.meta, id);
    })).then(function (pages) {
      if (state !== current) return;
      var added = 0;
      pages.forEach(function (data) {
        if (!confirmed(data, state)) { state.rejected += 1; return; }
        list.appendChild(resultNode(data, state.terms));
        added += 1;
      });
      state.shown += added;
      if (!added && state.next < state.candidates.length) return showMore(state);  // none confirmed: the next page
      more.hidden = state.next >= state.candidates.length;
    });
  }

  function search(query) {
    var mine = ++sequence;
    var asked = terms(query);
    if (!query || !asked.length) {
      current = null;
      list.textContent = "";
      more.hidden = true;
      say(query ? "请输入汉字、字母或数字。" : "请输入要搜索的字词。");
      return Promise.resolve();
    }
    if (!index) say("正在加载搜索……");
    return load().then(function (meta) {
      return candidates(meta, asked).then(function (found) { return { meta: meta, found: found }; });
    }).then(function (answer) {
      if (mine !== sequence) return;
      var confirm = asked.filter(function (term) { return !term.exact; }).map(function (term) { return term.text; });
      var state = { query: query, candidates: answer.found, next: 0, shown: 0, rejected: 0, confirm: confirm,
                    terms: asked, meta: answer.meta };
      current = state;
      list.textContent = "";
      more.hidden = true;
      return showMore(state).then(function () {
        if (state !== current) return;
        var total = state.candidates.length - state.rejected;
        if (!state.shown) {
          say("没有找到与“" + query + "”有关的内容。可以换一个词，或少输入几个字再试。");
        } else if (confirm.length && state.next < state.candidates.length) {
          say("找到约" + total + "条与“" + query + "”有关的结果，按标题和发布时间排列。");
        } else {
          say("找到" + total + "条与“" + query + "”有关的结果，按标题和发布时间排列。");
        }
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

  // A query from the address (a shared link) is held to the box's own length, as if typed: every three characters
  // of a long query are one more piece of the index to fetch.
  var asked = (new URLSearchParams(location.search).get("q") || "").slice(0, input.maxLength > 0 ? input.maxLength : 100);
  if (asked) {
    input.value = asked;
    search(asked.trim());
  }
  // The header's 搜索 link (search/#mz-search-input) puts the reader in the box, ready to type.
  if (location.hash === "#" + input.id) input.focus();
})();
