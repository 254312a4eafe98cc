"""Building real mzpress projects in temporary folders for tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DATE = "2026-11-30"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def story_text(title: str, date: str, unit: str = "office", topics: tuple[str, ...] = (),
               summary: str = "测试摘要。", body: str = "测试正文。", extra: str = "") -> str:
    topic_line = f"topics: [{', '.join(topics)}]\n" if topics else ""
    return (f"---\ntitle: {title}\ndate: {date}\nunit: {unit}\nauthor: 测试作者\neditor: 测试编辑\n"
            f"{topic_line}summary: {summary}\n{extra}---\n\n{body}\n")


def new_project(root: Path, with_sample_pages: bool = True) -> Path:
    """A project with the repository's configuration, templates and .gitignore (the build cache and backups stay
    out of git, as in a clone of this repository) and a minimal content tree."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(REPO_ROOT / ".gitignore", root / ".gitignore")
    shutil.copytree(REPO_ROOT / "site_config", root / "site_config")
    shutil.copytree(REPO_ROOT / "overrides", root / "overrides")
    content = root / "content"
    content.mkdir()
    if with_sample_pages:
        for sub in ("topics", "about", "campaigns", "notices", "assets"):
            if (REPO_ROOT / "content" / sub).exists():
                shutil.copytree(REPO_ROOT / "content" / sub, content / sub)
        shutil.copy(REPO_ROOT / "content" / "index.md", content / "index.md")
    return root


MINIMAL_SITE_YML = """\
name: 测试县民政局
url: https://mz.test.gov.cn/
footer:
  sponsor: 测试县民政局
  address: 测试县人民路1号
  phone: 0000-1234567
  site_code: "1234567890"
  icp: 赣ICP备00000001号
  police: 赣公网安备00000000000001号
"""


def config_with_site_yml(tmp_path: Path, text: str):
    """``load_config`` of a project without sample pages whose ``site_config/site.yml`` is ``text``."""
    from mzpress.model.config import load_config

    root = new_project(tmp_path / "p", with_sample_pages=False)
    (root / "site_config/site.yml").write_text(text, encoding="utf-8")
    return load_config(root)


def add_story(root: Path, year: int | str, slug: str, **fields) -> Path:
    return write(root / "content" / "stories" / str(year) / f"{slug}.md", story_text(**fields))


def build(project: Path, out: Path, strict: bool = True, build_date: str = BUILD_DATE,
          extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, MZPRESS_BUILD_DATE=build_date, NO_MKDOCS_2_WARNING="1")
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    if strict:
        cmd.append("--strict")
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=project, timeout=600)


def mzpress(project: Path, *args: str, build_date: str = BUILD_DATE) -> subprocess.CompletedProcess:
    env = dict(os.environ, MZPRESS_BUILD_DATE=build_date)
    return subprocess.run([sys.executable, "-m", "mzpress.cli", "--root", str(project), *args],
                          capture_output=True, text=True, env=env, cwd=project, timeout=300)


CACHE_FOLDER = ".mzpress-cache"  # the build cache (ignored by git): checks and builds keep results there


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root with its sha256, the build cache left out: proves a command changed nothing."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] != CACHE_FOLDER}
