"""The editor's page (``/admin/`` on the editor's own port): Decap CMS and mzpress' panel of findings.

No inline script: the page's code is in files of its own, so the editor's Content-Security-Policy
(``preview_server.EDITOR_CSP``) allows scripts of its own origin only:

- :data:`EDITOR_SCRIPT` (``/admin/mzpress-editor.js``), loaded before Decap so that its wrapper of ``fetch`` sees every
  answer of the backend: the panel (:data:`INDEX_HTML`'s ``#mzpress-findings``) lists a refused save's errors once
  (Decap's own red toast of the same refusal is hidden), each also under its field with a 转到 button that keeps the
  list; a save with warnings only is shown with 仍然保存 / 返回修改 and sent again with ``confirmWarnings`` when the
  writer confirms; a privacy finding in the body has 一键脱敏, which asks the backend for ``mzpress mask``'s fix of its
  lines (``/__mzpress/mask``) and puts it into the body; a refused delete or upload shows the backend's reason; a
  save says what happens next (提交审核).
- :data:`SETUP_SCRIPT` (``/admin/mzpress-editor-setup.js``, after Decap; the backend puts the site's unit and topic
  names before it as ``MZPRESS_SITE``): Decap's zh_Hans strings with ours where they are wrong for mzpress (保存草稿,
  not 发布), the widgets of ``cms_config`` (``datetime``, Decap's name, which Decap needs to find a page's date: a date
  picker in Chinese; ``mzpress-cover-alt``:
  required exactly when a cover is chosen), the body's editor that 一键脱敏 can write into, and the preview pane drawn
  like the site (unit and topic names, Chinese dates, the site's stylesheet ``/admin/site-preview.css``).
- :data:`EDITOR_STYLE` (``/admin/mzpress-editor.css``): the panel and the date picker.

The intranet build (``scripts/build --with-editor``: ``mzpress cms-config --admin-dir``, Decap saving on a Gitea
server through branches and merge requests) writes :data:`GIT_INDEX_HTML` and the same setup script and stylesheet
(``MZPRESS_SITE.backend`` is then not ``proxy``): the Chinese strings (worded for the Gitea workflow: a save makes a
branch and a merge request), the date picker, the conditional 封面图片说明, the preview pane, and the removal of the
empty values Decap writes for untouched fields (the writers' preview backend does that there). What needs the local
backend (:data:`EDITOR_SCRIPT`: warnings to confirm, 一键脱敏, a published page's delete refused) is not there: its
login note says that the checks run in the merge request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mzpress.model.schema import RECORDED_FIELDS, SCHEMAS

if TYPE_CHECKING:
    from mzpress.model.config import SiteConfig

EDITOR_SCRIPT_NAME = "mzpress-editor.js"
SETUP_SCRIPT_NAME = "mzpress-editor-setup.js"
EDITOR_STYLE_NAME = "mzpress-editor.css"
PREVIEW_CSS_NAME = "site-preview.css"
# The front-matter fields whose privacy findings 一键脱敏 fixes: one line of plain text each (标题, 摘要, 作者 ...), so
# mask's fix of the value is the value the form's field gets, unambiguously.
MASKABLE_FIELDS = tuple(sorted({spec.name for specs in (*SCHEMAS.values(), *RECORDED_FIELDS.values())
                                for spec in specs if spec.kind == "text"}))

# What happens after a save, in one sentence (the panel after a save, Decap's toast, README's 在浏览器里写稿).
NEXT_STEP = ("稿件已保存在本机的项目文件夹里，还没有发布到网站上。下一步：按使用说明里“提交审核”的步骤提交，"
             "由本单位审核人审核、合并后才会发布。")

INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>稿件编辑器（本机预览）</title>
<link rel="stylesheet" href="mzpress-editor.css">
</head>
<body>
<aside id="mzpress-findings" aria-labelledby="mzpress-findings-title" hidden>
<div role="alert">
<p><strong id="mzpress-findings-title">稿件没有保存：请按下面的提示修改后再保存。</strong></p>
<p id="mzpress-findings-text" hidden></p>
</div>
<div id="mzpress-findings-actions" hidden>
<button type="button" id="mzpress-confirm-save" class="mzpress-primary">仍然保存</button>
<button type="button" id="mzpress-confirm-back">返回修改</button>
</div>
<ol id="mzpress-findings-list"></ol>
<button type="button" id="mzpress-findings-close">知道了</button>
</aside>
<script src="mzpress-editor.js"></script>
<script src="decap-cms.js"></script>
<script src="mzpress-editor-setup.js"></script>
</body>
</html>
"""

# What the intranet build's login page says (GIT_INDEX_HTML): what a save does there, and what this editor does not do.
GIT_LOGIN_NOTE = ("请点“用单位 Gitea 账号登录”。在这里点“保存草稿”，会在单位的 Gitea 上为这篇稿件新建一个分支和一个"
                  "合并请求（以后再保存，都更新这个合并请求），网站不会马上变化。写好后把状态改为“待审核”，就是提交审核；"
                  "本单位审核人三审通过、合并以后才发布。这个编辑器不在保存时检查个人信息和用语，也没有“一键脱敏”："
                  "这些检查在合并请求里自动运行，有问题会在合并请求里列出，请按提示修改后再保存。")

GIT_INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>稿件编辑器（内网）</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="mzpress-editor.css">
</head>
<body>
<aside id="mzpress-login-note" aria-labelledby="mzpress-login-note-title" hidden>
<p><strong id="mzpress-login-note-title">内网稿件编辑器</strong></p>
<p>__GIT_LOGIN_NOTE__</p>
</aside>
<script src="decap-cms.js"></script>
<script src="mzpress-editor-setup.js"></script>
</body>
</html>
""".replace("__GIT_LOGIN_NOTE__", GIT_LOGIN_NOTE)

# Loaded before Decap, so its wrapper of fetch sees every answer of the backend.
EDITOR_SCRIPT = r'''(function () {
  "use strict";
  // The panel: a refused save's errors (once: Decap's red toast of the same refusal is hidden), a save's warnings
  // to confirm, a refused delete or upload, or what happens after a save. Each finding about a field is also put
  // under that field (finding.field, finding.label: editing/finding_places.py). Decap names a field's control
  // "<name>-field-<n>"; a nested field of the same name (更新记录's 日期) is told apart by its label's text.
  var box = document.getElementById("mzpress-findings"), list = document.getElementById("mzpress-findings-list");
  var title = document.getElementById("mzpress-findings-title"), text = document.getElementById("mzpress-findings-text");
  var actions = document.getElementById("mzpress-findings-actions");
  var close = document.getElementById("mzpress-findings-close");
  var NEXT_STEP = __NEXT_STEP__;
  var MASKABLE = __MASKABLE__;  // the plain-text front-matter fields 一键脱敏 fixes (editor_page.MASKABLE_FIELDS)
  var answerWarnings = null;  // the writer's answer to a save's warnings: called with true (仍然保存) or false
  var lastSave = null;  // {path, raw} of the last save sent: the lines a finding names are lines of it
  var hideToastsUntil = 0;
  close.onclick = function () { box.hidden = true; };
  document.getElementById("mzpress-confirm-save").onclick = function () { answer(true); };
  document.getElementById("mzpress-confirm-back").onclick = function () { answer(false); };
  function answer(save) {
    var reply = answerWarnings;
    answerWarnings = null;
    actions.hidden = true;
    close.hidden = false;
    if (save) box.hidden = true;
    else title.textContent = "稿件还没有保存：请按下面的提醒修改，改好后再点“保存草稿”。";
    hideToasts();
    if (reply) reply(save);
  }
  function panel(kind, heading, message) {
    box.className = "mzpress-" + kind;
    title.textContent = heading;
    text.textContent = message || "";
    text.hidden = !message;
    actions.hidden = kind !== "warning";
    close.hidden = kind === "warning";
    box.hidden = false;
  }
  // Decap shows a refused request once more as a red toast ("API_ERROR: …"): the panel says it already.
  function hideToasts() { hideToastsUntil = Date.now() + 6000; sweep(); }
  function sweep() {
    if (Date.now() > hideToastsUntil) return;
    document.querySelectorAll(".Toastify__toast--error").forEach(function (toast) { toast.style.display = "none"; });
  }
  new MutationObserver(sweep).observe(document.body, {childList: true, subtree: true});
  // Decap's login page says nothing of what this editor is: the panel does, until the writer logs in.
  panel("saved", "本机的稿件编辑器", "点“登录”就能开始写稿，不需要账号和密码。保存的稿件放在这台电脑的项目文件夹里，" +
        "提交审核、合并以后才会发布到网站上。");
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest && event.target.closest("button");
    if (target && target.textContent.trim() === "登录" && box.className === "mzpress-saved") box.hidden = true;
  }, true);

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
  function describe(finding) {
    return finding.message + (finding.suggestion ? "修改方法：" + finding.suggestion : "");
  }
  function button(label, onclick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.onclick = onclick;
    return b;
  }
  function post(path, params) {
    return window.fetch(path, {method: "POST", headers: {"Content-Type": "application/json; charset=utf-8"},
                               body: JSON.stringify({params: params})})
      .then(function (response) { return response.json().then(function (body) { return {ok: response.ok, body: body}; }); });
  }
  // 一键脱敏: mzpress mask's fix of the finding's lines (backend: by page kind, public numbers kept), put into the body.
  function maskButton(finding, save, item, note) {
    var b = button("一键脱敏", function () {
      b.disabled = true;
      post("/__mzpress/mask", {path: save.path, raw: save.raw, line: finding.line}).then(function (reply) {
        var body = window.mzpressBody && window.mzpressBody.get();
        var changes = reply.ok ? reply.body.changes : [];
        var missing = !reply.ok || body === null || changes.some(function (c) { return body.indexOf(c.before) < 0; });
        var result = document.createElement("p");
        result.className = "mzpress-result";
        if (missing) {
          result.textContent = reply.ok ? "正文在这之后改动过，找不到这一段。请再点一次“保存草稿”，然后重试。"
            : reply.body.error;
          b.disabled = false;
        } else {
          changes.forEach(function (c) { var at = body.indexOf(c.before);
            body = body.slice(0, at) + c.after + body.slice(at + c.before.length); });
          window.mzpressBody.set(body);
          result.textContent = "已按脱敏规则改好这一处（和 scripts/mzpress mask 的改法相同），请核对后再点“保存草稿”。";
          b.textContent = "已脱敏";
          if (note) note.remove();
        }
        item.appendChild(result);
      });
    });
    return b;
  }
  // 一键脱敏 of a front-matter field (标题, 摘要 ...): mask's fix of its value, put into the form's field as if typed.
  function maskFieldButton(finding, save, item, note, label) {
    var b = button("一键脱敏", function () {
      b.disabled = true;
      post("/__mzpress/mask", {path: save.path, raw: save.raw, field: finding.field}).then(function (reply) {
        var control = label && document.getElementById(label.htmlFor);
        var usable = control && (control.tagName === "INPUT" || control.tagName === "TEXTAREA");
        var result = document.createElement("p");
        result.className = "mzpress-result";
        if (!reply.ok) {
          result.textContent = reply.body.error;
          b.disabled = false;
        } else if (!usable || control.value !== reply.body.before) {
          result.textContent = "“" + finding.label + "”在这之后改动过。请再点一次“保存草稿”，然后重试。";
          b.disabled = false;
        } else {
          var proto = control.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
          Object.getOwnPropertyDescriptor(proto, "value").set.call(control, reply.body.after);
          control.dispatchEvent(new Event("input", {bubbles: true}));  // the form's state follows, as when typed
          result.textContent = "已按脱敏规则改好“" + finding.label + "”（和 scripts/mzpress mask 的改法相同），请核对后再点“保存草稿”。";
          b.textContent = "已脱敏";
          if (note) note.remove();
        }
        item.appendChild(result);
      });
    });
    return b;
  }
  function show(findings, save) {
    list.textContent = "";
    document.querySelectorAll(".mzpress-field-error").forEach(function (old) { old.remove(); });
    findings.forEach(function (f) {
      var item = document.createElement("li"), label = fieldLabel(f), note = null;
      var where = f.place || (f.line ? "第" + f.line + "行" : "");
      var words = document.createElement("span");
      words.textContent = (where ? where + "：" : "") + describe(f);
      item.appendChild(words);
      if (label) {
        note = document.createElement("p");
        note.className = "mzpress-field-error" + (f.severity === "warning" ? " mzpress-field-warning" : "");
        note.textContent = (f.field === "body" && f.place ? f.place + "：" : "") + describe(f);
        var field = fieldBox(label), top = label;  // the note goes right under the field's name
        while (top.parentElement !== field) top = top.parentElement;
        field.insertBefore(note, top.nextSibling);
        item.appendChild(button("转到" + (f.place || f.label), function () {
          // The field's own control, or (the body's rich-text editor) the first editable element of the field.
          var control = document.getElementById(label.htmlFor);
          if (!control || !control.matches(EDITABLE)) control = field.querySelector(EDITABLE);
          if (!control) return;
          control.focus({preventScroll: true});  // the list stays: the next finding is one click away
          if (!paragraphStart(control, f.paragraph)) note.scrollIntoView({block: "center"});
        }));
      }
      if (save && f.field === "body" && f.line && /^privacy\./.test(f.rule || "")) {
        item.appendChild(maskButton(f, save, item, note));
      } else if (save && label && MASKABLE.indexOf(f.field) >= 0 && /^privacy\./.test(f.rule || "")) {
        item.appendChild(maskFieldButton(f, save, item, note, label));
      }
      list.appendChild(item);
    });
  }
  function saved(answer) {
    show([]);
    panel("saved", "稿件已保存（草稿）", NEXT_STEP);
  }
  function afterSave(response, request, input, init) {
    var files = request.params.dataFiles || (request.params.entry ? [request.params.entry] : []);
    lastSave = files.length ? {path: files[0].path, raw: files[0].raw} : null;
    if (response.ok) {
      response.clone().json().then(saved, saved);
      return response;
    }
    if (response.status !== 422) return response;
    return response.clone().json().then(function (answer) {
      hideToasts();
      var findings = answer.findings || [];
      show(findings, lastSave);
      if (!answer.confirm) {
        panel("error", "稿件没有保存：请按下面的提示修改后再保存。");
        return response;
      }
      panel("warning", "稿件有" + findings.length + "个提醒，还没有保存。", "提醒不影响发布，但请先看一看：" +
            "改好后再点“保存草稿”，或者确认没有问题，点“仍然保存”。");
      return new Promise(function (resolve) { answerWarnings = resolve; }).then(function (save) {
        if (!save) return response;  // Decap stays on the form with the writer's text
        request.params.confirmWarnings = true;
        var again = {};
        Object.keys(init).forEach(function (key) { if (key !== "signal") again[key] = init[key]; });
        again.body = JSON.stringify(request);
        return window.fetch(input, again);
      });
    }, function () { return response; });
  }
  var REFUSED = {deleteFile: "没有删除", deleteFiles: "没有删除", persistMedia: "没有上传", deleteMedia: "没有删除"};
  function refused(response, action) {
    response.clone().json().then(function (answer) {
      hideToasts();
      var findings = answer.findings || [], first = String(answer.error || "").split("\n")[0];
      show(findings);
      panel("error", (REFUSED[action] || "没有完成") + "：" + (findings.length ? first : answer.error));
    }).catch(function () {});
  }
  var original = window.fetch;
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    var request = null;
    if (url.indexOf("/api/v1") >= 0 && init && typeof init.body === "string") {
      try { request = JSON.parse(init.body); } catch (e) { request = null; }
    }
    return original.apply(this, arguments).then(function (response) {
      if (!request || !request.params) return response;
      if (request.action === "persistEntry") return afterSave(response, request, input, init);
      if (!response.ok && response.status !== 404 && REFUSED[request.action]) refused(response, request.action);
      return response;
    });
  };
})();
'''.replace("__NEXT_STEP__", json.dumps(NEXT_STEP, ensure_ascii=False)).replace("__MASKABLE__", json.dumps(MASKABLE_FIELDS))

# Loaded after Decap (``CMS``, ``h``, ``createClass`` are its globals); the backend puts ``MZPRESS_SITE`` before it.
SETUP_SCRIPT = r'''(function () {
  "use strict";
  var site = window.MZPRESS_SITE || {units: {}, topics: {}, collections: []};
  var h = window.h, createClass = window.createClass;

  // Decap's Simplified Chinese, with mzpress' words where Decap's are wrong here: a save writes a draft into the
  // project; nothing is published before the unit's reviewer merges it (提交审核, README).
  var OURS = {
    app: {header: {content: "稿件", media: "图片和附件", quickAdd: "新建稿件"}},
    collection: {sidebar: {collections: "稿件类别", allCollections: "全部类别", searchAll: "查找稿件…", searchIn: "查找"},
                 collectionTop: {newButtonAriaLabel: "新建一篇“%{collectionLabel}”", viewAsList: "按列表显示",
                                 viewAsGrid: "按卡片显示"},
                 entries: {unpublishedHeader: "未发布的稿件"}},
    mediaLibrary: {mediaLibraryModal: {close: "关闭"}},
    editor: {
      editorToolbar: {publish: "保存草稿", publishing: "正在检查并保存…", publishNow: "保存草稿（之后提交审核）",
                      publishAndCreateNew: "保存草稿，然后新建一篇", publishAndDuplicate: "保存草稿，然后复制一份",
                      published: "已保存", duplicate: "复制一份", deleteEntry: "删除稿件", deletePublishedEntry: "删除稿件",
                      deleting: "正在删除…", backCollection: "返回“%{collectionLabel}”", unsavedChanges: "有修改还没有保存",
                      changesSaved: "", deployButtonLabel: "在预览网站里看", unpublish: "撤销"},
      editor: {onLeavePage: "稿件还没有保存，确定要离开吗？",
               onDeletePublishedEntry: "确定要删除这篇稿件吗？只有还没有发布的草稿和定时发布的稿件能删除；" +
                 "已经发布的稿件请撤回或撤下（见使用说明）。",
               onDeleteWithUnsavedChanges: "确定要删除这篇稿件和还没有保存的修改吗？只有还没有发布的草稿和定时发布的稿件能删除。",
               confirmLoadBackup: "这篇稿件有上次没有保存的内容（浏览器里的备份），要恢复吗？"},
      editorControlPane: {widget: {required: "请填写“%{fieldLabel}”，这一项必须填写。",
                                   rangeMin: "“%{fieldLabel}”至少要有%{minCount}项",
                                   rangeMax: "“%{fieldLabel}”最多只能有%{maxCount}项"}},
      editorControl: {field: {widgetLabel: "%{widgetLabel}"}},
      editorWidgets: {markdown: {strikethrough: "删除线", toggleMode: {rich: "切换到富文本", markdown: "切换到 Markdown"}},
                      image: {chooseMultiple: "选择图片", addMore: "再添加图片", removeAll: "移除全部图片"},
                      file: {chooseMultiple: "选择文件", addMore: "再添加文件", removeAll: "移除全部文件"},
                      datetime: {setToNow: "把“%{fieldLabel}”设为现在"}, list: {addType: "新增%{item}"},
                      object: {expand: "展开", collapse: "收起"}}
    },
    ui: {settingsDropdown: {account: "账户"}, toast: {entrySaved: "稿件已保存（草稿）。下一步：提交审核。", entryPublished: "稿件已保存（草稿）。下一步：提交审核。",
                 onFailToPersist: "没有保存：%{details}", onFailToDelete: "没有删除：%{details}",
                 missingRequiredField: "还有必须填写的项目没有填，请按红字提示填好后再保存。"}}
  };
  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object") target[key] = merge(Object.assign({}, target[key] || {}), value);
      else target[key] = value;
    });
    return target;
  }
  // On a Gitea server (the intranet build, MZPRESS_SITE.backend not "proxy") a save goes to a branch and a merge
  // request (Decap's editorial workflow) and 发布 is the merge, which the unit's reviewer does: the words say so.
  var local = (site.backend || "proxy") === "proxy";
  var GIT = {
    auth: {loginWithForgejo: "用单位 Gitea 账号登录", loginWithGitea: "用单位 Gitea 账号登录"},
    app: {header: {workflow: "审核流程"}},
    editor: {
      editorToolbar: {save: "保存草稿", saving: "正在保存到 Gitea…", status: "状态：%{status}", draft: "草稿",
                      inReview: "待审核（已提交审核）", ready: "审核通过", publish: "合并发布", publishing: "正在合并…",
                      publishNow: "合并发布（审核人操作）", publishAndCreateNew: "合并发布，然后新建一篇",
                      publishAndDuplicate: "合并发布，然后复制一份", published: "已合并发布", changesSaved: "已保存",
                      deleteUnpublishedChanges: "放弃这次修改（关闭合并请求）",
                      deleteUnpublishedEntry: "删除这份草稿（关闭合并请求）", updating: "正在更新…",
                      unpublish: "撤下", unpublishing: "正在撤下…", deployButtonLabel: "查看网站",
                      statusInfoTooltipDraft: "这篇稿件是草稿。写好后把状态改为“待审核”，就是提交审核。",
                      statusInfoTooltipInReview: "已提交审核，等本单位审核人审核。审核期间还可以修改，保存后合并请求随之更新。"},
      editor: {onPublishingNotReady: "请先把状态改为“审核通过”，再合并发布。",
               onPublishing: "确定要合并发布这篇稿件吗？只有本单位审核人三审通过后才能合并。",
               onUpdatingWithUnsavedChanges: "有修改还没有保存，请先点“保存草稿”，再改状态。",
               onPublishingWithUnsavedChanges: "有修改还没有保存，请先点“保存草稿”，再合并发布。",
               onUnpublishing: "已经发布的稿件请按使用说明撤回或撤下，不要在这里撤下。确定仍要撤下吗？",
               onDeletePublishedEntry: "已经发布的稿件不能删除，请按使用说明撤回或撤下。确定仍要删除吗？",
               onDeleteUnpublishedChanges: "这份草稿的所有修改都会被删除，合并请求会被关闭，确定吗？",
               onDeleteUnpublishedChangesWithUnsavedChanges:
                 "这份草稿的所有修改（包括还没有保存的）都会被删除，合并请求会被关闭，确定吗？"}},
    workflow: {workflow: {workflowHeading: "审核流程", newPost: "新建稿件", loading: "正在读取审核流程里的稿件…",
                          description: "%{smart_count}篇待审核，%{readyCount}篇审核通过、等待合并。",
                          dateFormat: "M月D日"},
               workflowCard: {deleteChanges: "放弃修改", deleteNewEntry: "删除草稿", publishChanges: "合并发布修改",
                              publishNewEntry: "合并发布新稿件"},
               workflowList: {onDeleteEntry: "确定要删除这份草稿吗？合并请求会被关闭。",
                              onPublishingNotReadyEntry: "只有“审核通过”一栏里的稿件才能合并发布：请先把卡片拖到“审核通过”一栏。",
                              onPublishEntry: "确定要合并发布这篇稿件吗？", draftHeader: "草稿", inReviewHeader: "待审核",
                              readyHeader: "审核通过", currentEntries: "%{smart_count}篇"}},
    ui: {toast: {entrySaved: "已保存为草稿：Gitea 上这篇稿件的分支和合并请求已更新，网站还没有变化。" +
                   "写好后把状态改为“待审核”，就是提交审核。",
                 entryPublished: "已合并发布：网站下次构建发布后更新。", entryUpdated: "状态已更新。"}}
  };
  CMS.registerLocale("zh_Hans", merge(merge(JSON.parse(JSON.stringify(CMS.getLocale("zh_Hans") || {})), OURS),
                                      local ? {} : GIT));

  // The intranet build's login note (GIT_INDEX_HTML): shown while Decap shows its login button, whose text ends with
  // 登录 (after its icon's inline style), and not for another button that merely contains the word.
  var note = document.getElementById("mzpress-login-note");
  var LOGIN_BUTTON = /(^|[}\s])(登录|用单位 Gitea 账号登录)$/;
  if (note) {
    var watchLogin = function () {
      note.hidden = !Array.prototype.some.call(document.querySelectorAll("button"),
                                               function (b) { return LOGIN_BUTTON.test(b.textContent.trim()); });
    };
    new MutationObserver(watchLogin).observe(document.body, {childList: true, subtree: true});
    watchLogin();
  }

  // On a git server no backend of ours removes the empty values Decap writes for untouched fields (draft: false,
  // cover: '', tags: []): before a save they are left out here, as tidy_front_matter leaves them out in the preview.
  function empty(value) {
    if (value && typeof value.toJS === "function") value = value.toJS();
    if (value === null || value === undefined || value === "" || value === false) return true;
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === "object") return Object.keys(value).every(function (key) { return empty(value[key]); });
    return false;
  }
  if (!local) {
    CMS.registerEventListener({name: "preSave", handler: function (event) {
      return event.entry.get("data").filter(function (value, key) { return key === "body" || !empty(value); });
    }});
  }

  function pad(n) { return (n < 10 ? "0" : "") + Number(n); }
  var DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?/;
  function parts(value) {
    if (value instanceof Date) value = value.getFullYear() + "-" + pad(value.getMonth() + 1) + "-" + pad(value.getDate()) +
      " " + pad(value.getHours()) + ":" + pad(value.getMinutes());
    var m = DATE.exec(String(value || ""));
    return m ? {y: m[1], m: String(+m[2]), d: String(+m[3]), hh: m[4] ? String(+m[4]) : "", mm: m[5] ? String(+m[5]) : ""}
      : {y: "", m: "", d: "", hh: "", mm: ""};
  }
  // 2026年12月8日 (with the time: 2026年12月8日9时30分), as the writer reads a date.
  function chineseDate(value, withTime) {
    var p = parts(value);
    if (!p.y) return value ? String(value) : "";
    var time = withTime && p.hh !== "" ? Number(p.hh) + "时" + (Number(p.mm) ? pad(p.mm) + "分" : "") : "";
    return p.y + "年" + p.m + "月" + p.d + "日" + time;
  }

  // The date picker: 年、月、日 (and 时、分) in Chinese, stored as 2026-12-08 (09:30), the format the check reads.
  function range(from, to, unit, two) {
    var options = [h("option", {key: "", value: ""}, "—")];
    for (var i = from; i <= to; i++) options.push(h("option", {key: i, value: String(i)}, (two ? pad(i) : i) + unit));
    return options;
  }
  var DateControl = createClass({
    getInitialState: function () { return parts(this.props.value); },
    componentDidUpdate: function (before) {
      if (before.value !== this.props.value && this.props.value !== this.sent) this.setState(parts(this.props.value));
    },
    withTime: function () { return !!this.props.field.get("time_format"); },
    complete: function (s) { return /^\d{4}$/.test(s.y) && s.m !== "" && s.d !== ""; },
    change: function (key, value) {
      var s = Object.assign({}, this.state);
      s[key] = value;
      if (this.withTime() && this.complete(s) && s.hh === "") { s.hh = "9"; s.mm = "0"; }
      this.setState(s);
      this.send(s);
    },
    send: function (s) {
      var value = "";
      if (this.complete(s)) {
        value = s.y + "-" + pad(s.m) + "-" + pad(s.d);
        if (this.withTime()) value += " " + pad(s.hh || 0) + ":" + pad(s.mm || 0);
      }
      this.sent = value;
      this.props.onChange(value);
    },
    now: function () {
      var s = parts(new Date());
      if (!this.withTime()) { s.hh = ""; s.mm = ""; }
      this.setState(s);
      this.send(s);
    },
    clear: function () { var s = parts(""); this.setState(s); this.send(s); },
    isValid: function () {
      var s = this.state, label = this.props.field.get("label");
      if (!(s.y || s.m || s.d)) return true;
      if (!this.complete(s)) return {error: {type: "CUSTOM", message: "“" + label + "”：请把年、月、日都选好（年份写四位数字）。"}};
      var day = new Date(Number(s.y), Number(s.m) - 1, Number(s.d));
      if (day.getMonth() !== Number(s.m) - 1) return {error: {type: "CUSTOM", message: "“" + label + "”：" + s.m + "月没有" + s.d + "日。"}};
      return true;
    },
    render: function () {
      var self = this, s = this.state, p = this.props, label = p.field.get("label");
      function on(key) { return function (event) { self.change(key, event.target.value); }; }
      var focus = {onFocus: function () { p.setActiveStyle && p.setActiveStyle(); },
                   onBlur: function () { p.setInactiveStyle && p.setInactiveStyle(); }};
      var items = [
        h("input", Object.assign({key: "y", id: p.forID, type: "text", inputMode: "numeric", maxLength: 4, size: 4,
                                  value: s.y, "aria-label": label + "：年", placeholder: "2026", onChange: on("y")}, focus)),
        h("span", {key: "yl", "aria-hidden": "true"}, "年"),
        h("select", Object.assign({key: "m", value: s.m, "aria-label": label + "：月", onChange: on("m")}, focus),
          range(1, 12, "月")),
        h("select", Object.assign({key: "d", value: s.d, "aria-label": label + "：日", onChange: on("d")}, focus),
          range(1, 31, "日"))];
      if (this.withTime()) {
        items.push(h("select", Object.assign({key: "hh", value: s.hh, "aria-label": label + "：时", onChange: on("hh")}, focus),
                     range(0, 23, "时")),
                   h("select", Object.assign({key: "mm", value: s.mm, "aria-label": label + "：分", onChange: on("mm")}, focus),
                     range(0, 59, "分", true)));
      }
      items.push(h("button", {key: "now", type: "button", onClick: this.now}, this.withTime() ? "现在" : "今天"));
      if (p.field.get("required") === false) items.push(h("button", {key: "clear", type: "button", onClick: this.clear}, "清除"));
      items.push(h("span", {key: "shown", className: "mzpress-date-shown"}, s.y ? chineseDate(this.sent || p.value, true) : ""));
      return h("div", {className: "mzpress-date", role: "group", "aria-label": label}, items);
    }
  });
  // Under Decap's own name: Decap reads a page's date (for {{year}} in a path, the day of a file name) from the
  // field whose widget is called "datetime".
  CMS.registerWidget("datetime", DateControl, createClass({
    render: function () { return h("span", null, chineseDate(this.props.value, true)); }
  }));

  // 封面图片说明: required exactly when a cover is chosen (the check refuses a cover without it, too).
  var Text = CMS.getWidget("string");
  CMS.registerWidget("mzpress-cover-alt", createClass({
    // Decap's field wrapper asks its control whether to draw again; ours always does, so that the entry it gets
    // (the cover chosen meanwhile) is the current one.
    shouldComponentUpdate: function () { return true; },
    isValid: function () {
      var entry = this.props.entry, cover = entry && entry.getIn(["data", "cover"]), value = this.props.value;
      if (cover && !(value && String(value).trim())) {
        return {error: {type: "CUSTOM", message: "选了封面图片，请在“封面图片说明”里用一句话说明照片内容（供视障读者的读屏软件朗读）。"}};
      }
      return true;
    },
    render: function () { return h(Text.control, this.props); }
  }), Text.preview);

  // The body's editor, which 一键脱敏 (mzpress-editor.js) can write into: Decap's markdown widget, drawn anew from the
  // new value (its rich-text editor reads the value once).
  var Markdown = CMS.getWidget("markdown"), body = null;
  var BodyControl = createClass({
    getInitialState: function () { return {generation: 0}; },
    componentDidMount: function () { body = this; },
    componentWillUnmount: function () { if (body === this) body = null; },
    componentDidUpdate: function () {
      if (this.pending !== undefined && this.props.value === this.pending) {
        this.pending = undefined;
        this.setState({generation: this.state.generation + 1});
      }
    },
    replace: function (value) { this.pending = value; this.props.onChange(value); },
    render: function () { return h(Markdown.control, Object.assign({}, this.props, {key: this.state.generation})); }
  });
  CMS.registerWidget({name: "markdown", controlComponent: BodyControl, previewComponent: Markdown.preview,
                      schema: Markdown.schema, globalStyles: Markdown.globalStyles});
  window.mzpressBody = {get: function () { return body ? String(body.props.value || "") : null; },
                        set: function (value) { if (body) body.replace(value); }};

  // The preview pane, drawn like the site's article (overrides/partials/content.html) with the site's stylesheet.
  // Next to the editor's page: /admin/ in the preview, wherever the intranet build's admin/ folder is served.
  CMS.registerPreviewStyle(new URL("site-preview.css", document.baseURI).href);
  CMS.registerPreviewStyle(new URL("mzpress-editor.css", document.baseURI).href);
  var Article = createClass({
    render: function () {
      var p = this.props, data = p.entry.get("data");
      function get(key) { var v = data && data.get(key); return v === undefined || v === null ? "" : v; }
      var topics = get("topics"), names = [];
      (topics && topics.toArray ? topics.toArray() : [].concat(topics || [])).forEach(function (t) {
        if (t) names.push(site.topics[t] || t);
      });
      var meta = [];
      if (get("date")) meta.push(h("span", {key: "date", className: "mz-meta-item"}, "发布时间：" + chineseDate(get("date"), true)));
      if (get("unit")) meta.push(h("span", {key: "unit", className: "mz-meta-item"}, "来源：" + (site.units[get("unit")] || get("unit"))));
      if (get("author")) meta.push(h("span", {key: "author", className: "mz-meta-item"}, "作者：" + get("author")));
      if (get("editor")) meta.push(h("span", {key: "editor", className: "mz-meta-item"}, "责任编辑：" + get("editor")));
      if (get("issuer")) meta.push(h("span", {key: "issuer", className: "mz-meta-item"}, "发布机关：" + get("issuer")));
      var period = null;
      if (get("start")) {
        var notice = String(p.collection.get("name")).indexOf("notices") === 0;
        period = h("p", {className: notice ? "mz-notice-status" : "mz-campaign-status"},
                   h("span", {className: "mz-period"}, (notice ? "公示期：" : "活动时间：") + chineseDate(get("start")) +
                     (get("end") ? "至" + chineseDate(get("end")) : "")));
      }
      var cover = get("cover") ? h("figure", {className: "mzpress-preview-cover"},
        h("img", {src: String(p.getAsset(get("cover"))), alt: get("cover_alt")})) : null;
      return h("div", {className: "mzpress-preview", "data-md-color-scheme": "default", "data-md-color-primary": "red"},
        h("article", {className: "md-typeset mz-article"},
          h("h1", null, get("title") || "（还没有标题）"),
          h("div", {className: "mz-article-meta", role: "group", "aria-label": "稿件信息"}, meta),
          period,
          names.length ? h("p", {className: "mzpress-preview-topics"}, "文化专题：" + names.join("、")) : null,
          get("summary") ? h("p", {className: "mzpress-preview-summary"}, "摘要：" + get("summary")) : null,
          cover,
          p.widgetFor("body")));
    }
  });
  (site.collections || []).forEach(function (name) { CMS.registerPreviewTemplate(name, Article); });
})();
'''

EDITOR_STYLE = r'''#mzpress-findings { position: fixed; z-index: 10000; right: 16px; bottom: 16px; width: 560px;
  max-width: calc(100vw - 32px); max-height: 60vh; overflow: auto; box-sizing: border-box; padding: 12px 16px;
  background: #fff4f4; border: 3px solid #b00020; border-radius: 6px; color: #222; font-size: 16px; line-height: 1.6;
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25); }
#mzpress-findings.mzpress-warning { background: #fffaf0; border-color: #8a5a00; }
#mzpress-findings.mzpress-saved { background: #f1f8f1; border-color: #1b5e20; }
#mzpress-findings p { margin: 0 0 8px; }
#mzpress-findings ol { margin: 0 0 8px; padding-left: 1.5em; }
#mzpress-findings li { margin-bottom: 8px; }
#mzpress-findings button { font: inherit; margin: 4px 8px 0 0; padding: 4px 12px; border: 1px solid #555;
  border-radius: 4px; background: #fff; color: #222; cursor: pointer; }
#mzpress-findings button.mzpress-primary { background: #8a5a00; border-color: #8a5a00; color: #fff; }
#mzpress-findings button:disabled { color: #444; background: #eee; cursor: default; }
#mzpress-findings .mzpress-result { margin: 4px 0 0; color: #1b5e20; }
#mzpress-login-note { position: fixed; z-index: 10000; right: 16px; bottom: 16px; width: 560px;
  max-width: calc(100vw - 32px); box-sizing: border-box; padding: 12px 16px; background: #f1f8f1;
  border: 3px solid #1b5e20; border-radius: 6px; color: #222; font-size: 16px; line-height: 1.6; }
#mzpress-login-note p { margin: 0 0 8px; }
#mzpress-login-note[hidden] { display: none; }
.mzpress-field-error { margin: 4px 0 8px; padding: 6px 10px; border-left: 4px solid #b00020; background: #fff4f4;
  color: #8a0018; font-size: 15px; line-height: 1.6; }
.mzpress-field-error.mzpress-field-warning { border-left-color: #8a5a00; background: #fffaf0; color: #5c3c00; }
.mzpress-date { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 12px 16px;
  border: 2px solid #dfdfe3; border-top: 0; border-radius: 0 0 5px 5px; background: #fff; font-size: 15px; }
.mzpress-date input, .mzpress-date select { font: inherit; padding: 4px 6px; border: 1px solid #767676; border-radius: 4px;
  background: #fff; color: #222; }
.mzpress-date input { width: 4.5em; }
.mzpress-date button { font: inherit; padding: 4px 10px; border: 1px solid #767676; border-radius: 4px; background: #fff;
  color: #222; cursor: pointer; }
.mzpress-date-shown { color: #444; margin-left: 8px; }
/* 封面图片说明 is required once a cover is chosen (its widget says so): not "(可选)". */
label[for^="cover_alt-field-"] > span { display: none; }
/* The preview pane (drawn inside Decap's frame with the site's stylesheet). */
.mzpress-preview { padding: 16px 24px; }
.mzpress-preview .mz-article-meta .mz-meta-item { margin-right: 1em; }
.mzpress-preview-cover img { max-width: 100%; }
'''

def setup_script(config: SiteConfig, settings: Mapping[str, Any]) -> str:
    """:data:`SETUP_SCRIPT` with ``MZPRESS_SITE`` before it: the site's unit and topic names (the preview pane), the
    collections of ``settings`` (``cms_config``'s configuration) and its backend's name (``proxy`` in the writers'
    preview; another is a git server, whose words and login note differ)."""
    site = {"units": config.unit_choices, "topics": config.topic_choices,
            "collections": [c["name"] for c in settings["collections"]], "backend": settings["backend"]["name"]}
    return "var MZPRESS_SITE = " + json.dumps(site, ensure_ascii=False) + ";\n" + SETUP_SCRIPT


MISSING_BUNDLE = ("<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>编辑器未安装</title>"
                  "<h1>编辑器未安装</h1><p>请在网站项目文件夹里运行 <code>scripts/install-tools</code>，"
                  "然后重新运行 <code>scripts/serve</code>。</p></html>")
