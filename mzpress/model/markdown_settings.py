"""The Python-Markdown configuration of the build, read from ``mkdocs.yml`` without MkDocs.

The gate renders every page exactly as the build does (:mod:`mzpress.text.page_rendering`), so it
needs the build's Markdown extensions and their options. MkDocs always adds ``toc``, ``tables`` and
``fenced_code`` to what ``markdown_extensions`` lists (``MarkdownExtensions(builtins=...)`` in
``mkdocs/config/defaults.py``); an extension may be a name or a one-key mapping of its options, and
options may be given again under ``mdx_configs``. This module reproduces that merge and nothing
else: the extensions are imported by Python-Markdown itself when a page is rendered.

``mkdocs.yml`` is site code (reviewed by the technical reviewer, see ``review-check``); its YAML
tags are read the way MkDocs reads them: ``!ENV`` from the environment, ``!!python/name:`` as a
dotted name that is imported only when Python-Markdown needs the value. A missing or unreadable
``mkdocs.yml`` (``mzpress scan`` outside a project) gives :data:`DEFAULT_EXTENSIONS`, the
configuration of a new mzpress project.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from mzpress.model.fingerprints import fingerprint
from mzpress.model.source_text import Policy, read_source

MKDOCS_FILE = "mkdocs.yml"
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs 1.6 always loads these
# A new mzpress project's mkdocs.yml (tests/unit/test_markdown_settings.py keeps them equal).
DEFAULT_EXTENSIONS: tuple[tuple[str, dict], ...] = (
    ("toc", {"permalink": False}),
    ("tables", {"use_align_attribute": True}),
    ("fenced_code", {}),
    ("attr_list", {}),
    ("md_in_html", {}),
    ("admonition", {}),
)


@dataclass(frozen=True)
class PythonName:
    """A ``!!python/name:`` value: imported when Python-Markdown is configured, not when read."""

    dotted: str

    def resolve(self) -> Any:
        module, _, attribute = self.dotted.rpartition(".")
        return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class MarkdownSettings:
    """Extension names in MkDocs' order and the options of each (``extension_configs``)."""

    extensions: tuple[str, ...] = tuple(name for name, _ in DEFAULT_EXTENSIONS)
    options: dict[str, dict] = field(default_factory=lambda: {name: dict(opts) for name, opts in DEFAULT_EXTENSIONS
                                                              if opts})
    source: str = "默认配置"  # where they were read (for messages)

    @cached_property
    def key(self) -> str:
        """A hash of the configuration: part of every cached rendering's key."""
        return fingerprint("markdown-settings-1", self.extensions, _plain(self.options))

    def extension_configs(self) -> dict[str, dict]:
        """``extension_configs`` for ``markdown.Markdown`` (``!!python/name:`` values imported now)."""
        return {name: _resolved(options) for name, options in self.options.items()}

    def uses(self, name: str) -> bool:
        """Whether extension ``name`` is enabled (``footnotes`` also matches ``markdown.extensions.footnotes``)."""
        return any(_short(extension) == name for extension in self.extensions)


def _short(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


def _plain(value: Any) -> Any:
    if isinstance(value, PythonName):
        return f"!!python/name:{value.dotted}"
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _resolved(value: Any) -> Any:
    if isinstance(value, PythonName):
        return value.resolve()
    if isinstance(value, dict):
        return {k: _resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    return value


class _MkDocsLoader(yaml.SafeLoader):
    """Safe YAML plus the two tags MkDocs configurations use."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else (*names, None)
    for variable in variables:
        if variable in os.environ:
            return os.environ[variable]
    return default


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonName:
    return PythonName(suffix)


_MkDocsLoader.add_constructor("!ENV", _env)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_MkDocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)  # other tags: not ours to read


def settings_from_mapping(config: Any, source: str = MKDOCS_FILE) -> MarkdownSettings:
    """MkDocs' merge of ``markdown_extensions`` (list of names or one-key mappings) and ``mdx_configs``."""
    names: list[str] = list(BUILTIN_EXTENSIONS)
    options: dict[str, dict] = {}
    listed = config.get("markdown_extensions") if isinstance(config, dict) else None
    if isinstance(listed, dict):  # MkDocs also accepts a mapping of name -> options
        listed = [{name: opts} for name, opts in listed.items()]
    for item in listed or ():
        if isinstance(item, dict) and len(item) == 1:
            name, opts = next(iter(item.items()))
        elif isinstance(item, str):
            name, opts = item, None
        else:
            continue
        name = str(name)
        if name not in names:
            names.append(name)
        if isinstance(opts, dict):
            options[name] = dict(opts)
    extra = config.get("mdx_configs") if isinstance(config, dict) else None
    if isinstance(extra, dict):
        for name, opts in extra.items():
            if isinstance(opts, dict):
                options.setdefault(str(name), {}).update(opts)
    return MarkdownSettings(tuple(names), options, source)


def read_markdown_settings(root: Path | None) -> MarkdownSettings:
    """The build's Markdown configuration from ``root/mkdocs.yml``; the defaults when there is none.

    A ``mkdocs.yml`` that cannot be read as YAML gives the defaults too: MkDocs itself then refuses
    to build, so nothing is published with another configuration."""
    if root is None:
        return MarkdownSettings()
    path = Path(root) / MKDOCS_FILE
    if not path.is_file():
        return MarkdownSettings()
    source, problems = read_source(path, MKDOCS_FILE, Policy.PUBLISH)
    if source.text is None or problems:
        return MarkdownSettings()
    try:
        config = yaml.load(source.text, Loader=_MkDocsLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError:
        return MarkdownSettings()
    return settings_from_mapping(config if isinstance(config, dict) else {})
