"""``mzpress cms-config``: the browser editor's configuration (Decap CMS) from the schema and site_config/.

With ``--admin-dir`` it writes the intranet build's whole editor (``adapters/mkdocs/editor_api.write_git_admin``:
the page, the configuration, Decap's bundle and the editor's own setup script and stylesheets); the adapter is
imported inside :func:`_write_admin` only (the layer map's exception for this command, tests/support/layers.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from mzpress.editing.cms_config import CmsConfigError, backend_settings, campaign_folders, cms_config
from mzpress.model.config import load_config
from mzpress.model.findings import Severity
from mzpress.model.project import find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "cms-config", help="生成网页稿件编辑器的配置（config.yml）",
        description="按稿件字段规则和 site_config/ 的单位、专题名单生成 Decap CMS 编辑器的配置。"
                    "在 Gitea/GitHub 上，每次保存都会新建分支和合并请求，照常经过三审；"
                    "本机预览（scripts/serve）的编辑器 /admin/ 自动使用本机配置，不需要运行这个命令。")
    parser.add_argument("--backend", choices=("gitea", "github", "proxy"), default="gitea",
                        help="稿件仓库所在的平台：gitea（默认）、github，或 proxy（本机预览）")
    parser.add_argument("--repo", default="", help="仓库，写成“所有者/仓库名”，例如 minzheng/website")
    parser.add_argument("--api-root", default="", help="Gitea 的 API 地址，例如 https://git.example.gov.cn/api/v1")
    parser.add_argument("--base-url", default="", help="登录（OAuth）地址，例如 https://git.example.gov.cn")
    parser.add_argument("--branch", default="main", help="发布分支（默认 main）")
    parser.add_argument("--proxy-url", default="/api/v1", help="proxy 后端的地址（默认 /api/v1）")
    parser.add_argument("--site-url", default="", help="网站地址，编辑器里“查看网站”的链接")
    parser.add_argument("--app-id", default="", help="Gitea 里为编辑器登记的 OAuth 应用的客户端 ID")
    parser.add_argument("-o", "--output", metavar="文件", help="写到这个文件（默认输出到屏幕）")
    parser.add_argument("--admin-dir", metavar="文件夹",
                        help="把编辑器整套文件（index.html、config.yml 和 Decap 脚本）写进这个文件夹，"
                             "供内网构建 scripts/build --with-editor 使用；不要放进对外发布的网站")
    parser.set_defaults(func=run)


def run(args) -> int:
    root = find_root(args.root)
    config, findings = load_config(root)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        for finding in errors:
            print(f"{finding.location}：{finding.message}{finding.suggestion}", file=sys.stderr)
        return 2
    try:
        backend = backend_settings(args.backend, args.repo, args.api_root, args.base_url, args.branch, args.proxy_url)
    except CmsConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.app_id:
        backend["app_id"] = args.app_id
    if args.admin_dir and args.backend == "proxy":
        print("本机预览（scripts/serve）的编辑器自带配置，不需要 --admin-dir；--admin-dir 用于 Gitea 或 GitHub。",
              file=sys.stderr)
        return 2
    settings = cms_config(config, backend, args.site_url, campaign_folders(root / "content"))
    text = ("# 由 mzpress cms-config 生成，请勿手工修改；字段或名单变了就重新生成。\n"
            + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False))
    if args.admin_dir:
        return _write_admin(root, Path(args.admin_dir), settings, text)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _write_admin(root: Path, folder: Path, settings: dict, config_text: str) -> int:
    """The editor as static files: its page, its configuration, the Decap bundle and the editor's own scripts."""
    from mzpress.adapters.mkdocs.editor_api import DECAP_DIST, write_git_admin

    try:
        write_git_admin(root, folder, settings, config_text)
    except FileNotFoundError:
        print(f"找不到编辑器脚本（{root / DECAP_DIST}）。请先运行 scripts/install-tools。", file=sys.stderr)
        return 2
    print(f"编辑器已写入 {folder}（打开 {folder.name}/ 即可使用）。", file=sys.stderr)
    return 0
