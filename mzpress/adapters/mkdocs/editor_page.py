"""The editor's page (``/admin/`` on the editor's own port): Decap CMS and mzpress' list of findings.

No inline script: the page's code is a file of its own (:data:`EDITOR_SCRIPT`, ``/admin/mzpress-editor.js``), so the
editor's Content-Security-Policy (``preview_server.EDITOR_CSP``) allows scripts of its own origin only.
"""

from __future__ import annotations

EDITOR_SCRIPT_NAME = "mzpress-editor.js"

INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>稿件编辑器（本机预览）</title>
</head>
<body>
<div id="mzpress-findings" role="alert" hidden
 style="position:fixed;z-index:10000;left:8px;bottom:8px;max-width:640px;max-height:45vh;overflow:auto;
 background:#fff4f4;border:2px solid #b00020;color:#222;padding:12px 16px;font-size:16px;line-height:1.6">
<strong id="mzpress-findings-title">稿件没有保存：请按下面的提示修改后再点“发布”。</strong>
<ol id="mzpress-findings-list"></ol>
<button type="button" id="mzpress-findings-close">知道了</button>
</div>
<script src="mzpress-editor.js"></script>
<script src="decap-cms.js"></script>
</body>
</html>
"""

# Loaded before Decap, so its wrapper of fetch sees every answer of the backend.
EDITOR_SCRIPT = """(function () {
  // The backend refuses a save with errors (422 + findings): list them here until the writer closes the list, and
  // put each message next to the field it is about (finding.field, finding.label: editing/finding_places.py).
  // Decap names a field's control "<name>-field-<n>"; a nested field of the same name (更新记录's 日期) is told
  // apart by the label the editor shows, which starts with the field's label.
  var box = document.getElementById("mzpress-findings"), list = document.getElementById("mzpress-findings-list");
  // The list's title: the page's own for a save; for a refused upload or delete, the first line of the refusal
  // (the findings are then in other pages than the one open: their file and line, no field).
  var title = document.getElementById("mzpress-findings-title"), saveTitle = title.textContent;
  document.getElementById("mzpress-findings-close").onclick = function () { box.hidden = true; };
  function fieldLabel(finding) {
    if (!finding.field) return null;
    var labels = document.querySelectorAll('label[for^="' + finding.field + '-field-"]');
    for (var i = 0; i < labels.length; i++) {
      if (labels[i].textContent.trim().indexOf(finding.label) === 0) return labels[i];
    }
    return null;
  }
  // The element that holds a field's label and its control (the body's label sits in a bar above its editor).
  var EDITABLE = "input, select, textarea, [contenteditable=true]";
  function fieldBox(label) {
    var holder = label.parentElement;
    for (var up = 0; up < 3 && holder.parentElement && !holder.querySelector(EDITABLE); up++) holder = holder.parentElement;
    return holder.querySelector(EDITABLE) ? holder : label.parentElement;
  }
  // In the body's rich-text editor (Slate: one child element per block, in the order of the Markdown's blocks), the caret
  // goes to the start of the paragraph the finding names and the paragraph is scrolled into view. Nothing of the
  // editor's own markup is changed: a selection is what Slate follows. False when there is no such block.
  function paragraphStart(editable, paragraph) {
    if (!paragraph || !editable.isContentEditable) return false;
    var block = editable.children[paragraph - 1];
    var leaf = block && block.querySelector("[data-slate-string], [data-slate-zero-width]");
    var start = leaf && leaf.firstChild;
    if (!start) return false;
    var range = document.createRange();
    range.setStart(start, 0);
    range.collapse(true);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    block.scrollIntoView({block: "center"});
    return true;
  }
  function text(finding) {
    return finding.message + (finding.suggestion ? "修改方法：" + finding.suggestion : "");
  }
  function show(findings) {
    list.textContent = "";
    document.querySelectorAll(".mzpress-field-error").forEach(function (old) { old.remove(); });
    findings.forEach(function (f) {
      var item = document.createElement("li"), label = fieldLabel(f);
      var where = f.place || (f.line ? "第" + f.line + "行" : "");
      item.textContent = (where ? where + "：" : "") + text(f);
      if (label) {
        var note = document.createElement("p");
        note.className = "mzpress-field-error";
        note.setAttribute("role", "alert");
        note.style.cssText = "margin:4px 0 8px;padding:6px 10px;border-left:4px solid #b00020;background:#fff4f4;" +
          "color:#8a0018;font-size:15px;line-height:1.6";
        note.textContent = (f.field === "body" && f.place ? f.place + "：" : "") + text(f);
        var field = fieldBox(label), top = label;  // the note goes right under the field's name
        while (top.parentElement !== field) top = top.parentElement;
        field.insertBefore(note, top.nextSibling);
        var go = document.createElement("button");
        go.type = "button";
        go.textContent = "转到" + (f.place || f.label);
        go.style.marginLeft = "8px";
        go.onclick = function () {
          // The field's own control, or (the body's rich-text editor) the first editable element of the field.
          var control = document.getElementById(label.htmlFor);
          if (!control || !control.matches(EDITABLE)) control = field.querySelector(EDITABLE);
          if (!control) return;
          box.hidden = true;  // out of the way of the text (each message stays under its field)
          control.focus({preventScroll: true});
          if (!paragraphStart(control, f.paragraph)) note.scrollIntoView({block: "center"});
        };
        item.appendChild(go);
      }
      list.appendChild(item);
    });
    box.hidden = !findings.length;
  }
  var original = window.fetch;
  window.fetch = function (input, init) {
    return original.apply(this, arguments).then(function (response) {
      var url = typeof input === "string" ? input : (input && input.url) || "";
      var saving = init && typeof init.body === "string" && init.body.indexOf('"persistEntry"') >= 0;
      if (url.indexOf("/api/v1") >= 0 && (response.status === 422 || (saving && response.ok))) {
        if (response.ok) show([]);
        else response.clone().json().then(function (answer) {
          title.textContent = saving || !answer.error ? saveTitle : answer.error.split("\\n")[0];
          show(answer.findings || []);
        }).catch(function () {});
      }
      return response;
    });
  };
})();
"""

MISSING_BUNDLE = ("<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>编辑器未安装</title>"
                  "<h1>编辑器未安装</h1><p>请在网站项目文件夹里运行 <code>scripts/install-tools</code>，"
                  "然后重新运行 <code>scripts/serve</code>。</p></html>")
