"""The integrity manifest of a build: every file's SHA-256 and size, the source commit, build time, version.

The MkDocs plugin writes it as ``site/.mzpress-manifest.json`` after a successful build (it is not
listed in itself). ``mzpress deploy`` refuses a build without one or whose files do not match it,
keeps a copy outside the web root, and ``mzpress verify`` compares the live tree with that copy.

The JSON is deterministic (sorted keys, one file per line) so that two builds of the same commit
differ only in ``built_at``. Paths are POSIX, relative to the site folder, never absolute and never
with ``..``: a manifest that says otherwise is rejected by :func:`parse_manifest`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST_NAME = ".mzpress-manifest.json"
FORMAT = "mzpress-manifest/1"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20
# Hashing threads: hashlib releases the GIL on large buffers and the kernel reads ahead meanwhile.
_HASH_THREADS = max(2, min(8, (os.cpu_count() or 2) * 2))


class ManifestError(ValueError):
    """A manifest that cannot be read or trusted: ``message`` says what, ``suggestion`` how to fix it."""

    def __init__(self, message: str, suggestion: str):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True, slots=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    files: Mapping[str, FileEntry]  # POSIX path relative to the site folder -> entry
    commit: str | None  # the source commit the build was made from (None outside git)
    built_at: str  # ISO 8601 with offset, when the build finished
    version: str  # the mzpress version that built it

    @property
    def short_commit(self) -> str:
        return self.commit[:10] if self.commit else "unknown"

    @property
    def total_size(self) -> int:
        return sum(entry.size for entry in self.files.values())

    def to_json(self) -> str:
        head = {"format": FORMAT, "commit": self.commit, "built_at": self.built_at, "mzpress_version": self.version,
                "file_count": len(self.files)}
        lines = [json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "files": {']
        items = sorted(self.files.items())
        for index, (path, entry) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"  {json.dumps(path, ensure_ascii=False)}: "
                         f'{{"sha256": "{entry.sha256}", "size": {entry.size}}}{comma}')
        lines.append("}}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class TreeDifference:
    """How a tree differs from its manifest. Paths are sorted; a file that cannot be read counts as
    modified; ``odd`` are entries that are neither folders nor regular files (symlinks, sockets ...)."""

    modified: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    odd: tuple[str, ...] = field(default=())

    @property
    def clean(self) -> bool:
        return not (self.modified or self.added or self.removed or self.odd)

    @property
    def count(self) -> int:
        return len(self.modified) + len(self.added) + len(self.removed) + len(self.odd)


def _safe_relpath(path: object) -> bool:
    if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and all(part not in ("", ".", "..") for part in path.split("/"))


def parse_manifest(text: str, origin: str) -> Manifest:
    """The manifest in ``text`` (read from ``origin``, named in messages), or :class:`ManifestError`."""
    fix = "重新构建网站（scripts/build）后再发布；清单文件由构建生成，请不要手工修改。"
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"完整性清单 {origin} 不是有效的 JSON（第{getattr(exc, 'lineno', 1)}行）。", fix) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError(f"{origin} 不是 mzpress 完整性清单（缺少 format: {FORMAT}）。", fix)
    files = data.get("files")
    if not isinstance(files, dict):
        raise ManifestError(f"完整性清单 {origin} 没有文件列表（files）。", fix)
    entries: dict[str, FileEntry] = {}
    for path, value in files.items():
        if not _safe_relpath(path) or path == MANIFEST_NAME:
            raise ManifestError(f"完整性清单 {origin} 中的路径“{path}”无效（不能是绝对路径、含有 .. 或是清单本身）。", fix)
        if (not isinstance(value, dict) or not isinstance(value.get("sha256"), str)
                or not _SHA256.match(value["sha256"]) or type(value.get("size")) is not int or value["size"] < 0):
            raise ManifestError(f"完整性清单 {origin} 中“{path}”的校验值或大小无效。", fix)
        entries[path] = FileEntry(value["sha256"], value["size"])
    commit, built_at, version = data.get("commit"), data.get("built_at"), data.get("mzpress_version")
    if commit is not None and (not isinstance(commit, str) or not re.fullmatch(r"[0-9a-f]{7,64}", commit)):
        raise ManifestError(f"完整性清单 {origin} 中的源提交“{commit}”无效。", fix)
    if not isinstance(built_at, str) or not isinstance(version, str):
        raise ManifestError(f"完整性清单 {origin} 缺少构建时间（built_at）或版本（mzpress_version）。", fix)
    if data.get("file_count", len(entries)) != len(entries):
        raise ManifestError(f"完整性清单 {origin} 不完整：应有{data.get('file_count')}个文件，实有{len(entries)}个。", fix)
    return Manifest(entries, commit, built_at, version)


def read_manifest(path: Path) -> Manifest:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ManifestError(f"没有找到完整性清单 {path}。",
                            "完整性清单由成功的构建生成：请运行 scripts/build，构建成功后再发布。") from None
    except OSError as exc:
        raise ManifestError(f"无法读取完整性清单 {path}：{exc.strerror}。", "检查文件权限后重试。") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestError(f"完整性清单 {path} 不是 UTF-8 文本。", "重新构建网站（scripts/build）。") from None
    return parse_manifest(text, str(path))


def hash_file(path: Path | str) -> FileEntry:
    """SHA-256 and size of a regular file, read without following a final symlink."""
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        with os.fdopen(fd, "rb", buffering=0) as stream:
            fd = -1
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    finally:
        if fd >= 0:
            os.close(fd)
    return FileEntry(digest.hexdigest(), size)


def _hash_or_none(path: str) -> FileEntry | None:
    try:
        return hash_file(path)
    except OSError:
        return None


def hash_files(paths: Iterable[str]) -> Iterator[FileEntry | None]:
    """:func:`hash_file` of each path, in order, several at once; None for a file that cannot be read."""
    paths = list(paths)
    if len(paths) < 64:
        yield from map(_hash_or_none, paths)
        return
    with ThreadPoolExecutor(_HASH_THREADS) as pool:
        yield from pool.map(_hash_or_none, paths, chunksize=32)


@dataclass(frozen=True, slots=True)
class TreeEntries:
    files: dict[str, str]  # relative POSIX path -> absolute path, regular files only
    odd: tuple[str, ...]  # entries that are neither regular files nor directories (symlinks, sockets ...)


def walk_tree(root: Path | str, skip: Iterable[str] = ()) -> TreeEntries:
    """Every entry under ``root`` without following symlinks; ``skip`` are relative paths left out."""
    skipped = set(skip)
    files: dict[str, str] = {}
    odd: list[str] = []
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if rel in skipped:
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    stack.append((rel + "/", entry.path))
                elif stat.S_ISREG(mode):
                    files[rel] = entry.path
                else:
                    odd.append(rel)
    return TreeEntries(files, tuple(sorted(odd)))


def build_manifest(site_dir: Path | str, commit: str | None, built_at: str, version: str) -> Manifest:
    """The manifest of every file under ``site_dir`` (except a manifest already there).

    Raises :class:`ManifestError` when the tree holds anything but folders and regular files."""
    tree = walk_tree(site_dir, skip=(MANIFEST_NAME,))
    if tree.odd:
        raise ManifestError(f"构建结果中有不是普通文件的条目（例如符号链接）：{'、'.join(tree.odd[:5])}。",
                            "网站只应包含普通文件；请检查 content/ 和主题覆盖文件，删除这些条目后重新构建。")
    names = sorted(tree.files)
    entries = {}
    for name, entry in zip(names, hash_files(tree.files[n] for n in names), strict=True):
        if entry is None:
            raise ManifestError(f"无法读取构建结果中的文件 {name}。", "检查文件权限后重新构建。")
        entries[name] = entry
    return Manifest(entries, commit, built_at, version)


def compare_tree(manifest: Manifest, root: Path | str, skip: Iterable[str] = ()) -> TreeDifference:
    """How the tree at ``root`` differs from ``manifest``: every file is hashed, sizes and times are not trusted."""
    tree = walk_tree(root, skip=skip)
    expected = manifest.files
    present = [name for name in sorted(tree.files) if name in expected]
    modified = [name for name, entry in zip(present, hash_files(tree.files[n] for n in present), strict=True)
                if entry != expected[name]]
    added = sorted(name for name in tree.files if name not in expected)
    odd_names = set(tree.odd)
    removed = sorted(name for name in expected if name not in tree.files and name not in odd_names)
    return TreeDifference(tuple(modified), tuple(added), tuple(removed), tree.odd)


def write_manifest(site_dir: Path | str, manifest: Manifest) -> Path:
    """Write ``manifest`` as the site's manifest file, atomically (temporary name, then rename)."""
    target = Path(site_dir) / MANIFEST_NAME
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(manifest.to_json(), encoding="utf-8")
    os.replace(temporary, target)
    return target


def remove_manifest(site_dir: Path | str) -> None:
    """Remove the site's manifest (and a temporary one) if there is one."""
    for name in (MANIFEST_NAME, MANIFEST_NAME + ".tmp"):
        try:
            os.unlink(Path(site_dir) / name)
        except FileNotFoundError:
            pass
