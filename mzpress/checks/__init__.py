"""The registry of checks that ``mzpress check``, ``mzpress scan`` and the MkDocs build all run.

Three kinds, each a plain function in its own core module:

* text checks ``(SourceFile, CheckContext) -> Iterable[Finding]``: content-independent
  checks on any decoded text file (Markdown, CSV, TXT); ``mzpress scan`` runs them on
  any path, ``mzpress check`` and the build on every text file under ``content/``.
* attachment checks ``(Path, relpath, CheckContext) -> Iterable[Finding]``: binary
  attachments (.xlsx, .docx, .pdf ...), wherever a text check cannot read.
* site checks ``(Site, CheckContext) -> Iterable[Finding]``: checks that need the whole
  content model (links between pages, images referenced by stories, CODEOWNERS, git ledger).

Modules are imported lazily so that importing the registry stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mzpress.model.findings import Finding
from mzpress.model.source_text import SourceFile

if TYPE_CHECKING:
    from mzpress.model.config import SiteConfig
    from mzpress.model.content import Site


@dataclass
class CheckContext:
    """What a check may consult: the project root and its configuration (None outside a project)."""

    root: Path
    config: SiteConfig | None = None
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """Build an expensive object (a compiled dictionary, say) once per run."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]


TextCheck = Callable[[SourceFile, CheckContext], Iterable[Finding]]
AttachmentCheck = Callable[[Path, str, CheckContext], Iterable[Finding]]
SiteCheck = Callable[["Site", CheckContext], Iterable[Finding]]

# File endings each kind applies to.
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".csv", ".txt"})
ATTACHMENT_SUFFIXES = frozenset({".xlsx", ".xls", ".docx", ".doc", ".wps", ".pdf"})


def text_checks() -> list[TextCheck]:
    from mzpress.checks.privacy import scan_text as privacy_scan_text
    from mzpress.text.images import check_missing_alt

    checks: list[TextCheck] = []
    checks.append(check_missing_alt)
    checks.append(privacy_scan_text)
    from mzpress.checks.html_safety import check_html_safety
    from mzpress.checks.typography import check_typography
    from mzpress.checks.wording import check_wording
    from mzpress.model.source_text import check_invisible_characters

    checks += [check_invisible_characters, check_wording, check_typography, check_html_safety]
    return checks


def attachment_checks() -> list[AttachmentCheck]:
    from mzpress.text.attachments import scan_attachment as privacy_scan_attachment
    from mzpress.text.images import check_image_file

    checks: list[AttachmentCheck] = []
    checks.append(check_image_file)
    checks.append(privacy_scan_attachment)
    return checks


def site_checks() -> list[SiteCheck]:
    from mzpress.checks.codeowners import codeowners_check
    from mzpress.checks.links import check_internal_links
    from mzpress.history.ledger import backdating_check
    from mzpress.publishing.withdrawal import redirect_findings

    checks: list[SiteCheck] = []
    checks.append(check_internal_links)
    checks.append(backdating_check)
    checks.append(codeowners_check)
    checks.append(redirect_findings)
    return checks
