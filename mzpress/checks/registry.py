"""The registry of checks that ``mzpress check``, ``mzpress scan`` and the MkDocs build all run.

Three kinds, each a plain function in its own module of this package:

* text checks ``(SourceFile, CheckContext) -> Iterable[Finding]``: content-independent
  checks on any decoded text file (Markdown, CSV, TXT); ``mzpress scan`` runs them on
  any path, ``mzpress check`` and the build on every text file under ``content/``.
* attachment checks ``(Path, relpath, CheckContext) -> Iterable[Finding]``: binary
  attachments (.xlsx, .docx, .pdf ...), wherever a text check cannot read.
* site checks ``(Site, CheckContext) -> Iterable[Finding]``: checks that need the whole
  content model (links between pages, images referenced by stories, CODEOWNERS, git ledger).
* run checks ``(CheckContext) -> Iterable[Finding]``: once per run of the text checks, whatever files they
  judge (the wording configuration's own problems). A text check is a function of its file and the
  configuration alone (what it found is kept across runs, see ``kept_findings``), so nothing it reports
  may depend on which file a run judges first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mzpress.checks.adoptions import check_adoption_dates
from mzpress.checks.attachments import scan_attachment
from mzpress.checks.backdating import backdating_check
from mzpress.checks.codeowners import codeowners_check
from mzpress.checks.context import CheckContext
from mzpress.checks.extra_files import check_extra_file
from mzpress.checks.html_safety import check_html_safety
from mzpress.checks.images import check_image_file, check_missing_alt
from mzpress.checks.invisible_characters import check_invisible_characters
from mzpress.checks.links import check_internal_links
from mzpress.checks.mojibake import check_mojibake
from mzpress.checks.mourning import check_mourning_periods
from mzpress.checks.privacy import scan_text
from mzpress.checks.published_paths import check_published_paths
from mzpress.checks.redirects import redirect_findings
from mzpress.checks.shown_text import check_shown_identifiers
from mzpress.checks.site_code import check_site_code
from mzpress.checks.svg_safety import check_svg
from mzpress.checks.theme_symlinks import check_theme_symlinks
from mzpress.checks.typography import check_typography
from mzpress.checks.wording import check_wording, wording_settings_findings
from mzpress.model.content import Site
from mzpress.model.findings import Finding
from mzpress.model.source_text import SourceFile

TextCheck = Callable[[SourceFile, CheckContext], Iterable[Finding]]
AttachmentCheck = Callable[[Path, str, CheckContext], Iterable[Finding]]
SiteCheck = Callable[[Site, CheckContext], Iterable[Finding]]
RunCheck = Callable[[CheckContext], Iterable[Finding]]

# File endings each kind applies to.
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".csv", ".txt"})
ATTACHMENT_SUFFIXES = frozenset({".xlsx", ".xls", ".docx", ".doc", ".wps", ".pdf"})

TEXT_CHECKS: tuple[TextCheck, ...] = (
    check_missing_alt, scan_text, check_shown_identifiers, check_invisible_characters, check_mojibake, check_wording, check_typography,
    check_html_safety)
ATTACHMENT_CHECKS: tuple[AttachmentCheck, ...] = (check_image_file, scan_attachment, check_svg, check_extra_file)
SITE_CHECKS: tuple[SiteCheck, ...] = (check_internal_links, backdating_check, codeowners_check, redirect_findings,
                                      check_theme_symlinks, check_adoption_dates, check_mourning_periods,
                                      check_site_code, check_published_paths)


def text_checks() -> tuple[TextCheck, ...]:
    return TEXT_CHECKS


def attachment_checks() -> tuple[AttachmentCheck, ...]:
    return ATTACHMENT_CHECKS


RUN_CHECKS: tuple[RunCheck, ...] = (wording_settings_findings,)


def site_checks() -> tuple[SiteCheck, ...]:
    return SITE_CHECKS


def run_checks() -> tuple[RunCheck, ...]:
    return RUN_CHECKS
