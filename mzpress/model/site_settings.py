"""``site_config/site.yml`` as typed, frozen values: identity, footer, links, ledger, listings, search, images,
content, the monthly bulletin and its distribution, the contact numbers published on purpose.

Read once by :func:`mzpress.model.config.load_config`; every value is checked there and
each problem is a finding at its line. Every section is optional except the identity
(``name``, ``url``) and the ``footer``; an absent section or key takes the default below.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from mzpress.model.config_values import ConfigReader, shown
from mzpress.model.content_files import EXTRA_KINDS
from mzpress.model.ledger_settings import (
    DEFAULT_TOLERANCE_HOURS,
    MAX_TOLERANCE_HOURS,
    SHANGHAI,
    LedgerConfigError,
    LedgerSettings,
    parse_ledger_start,
)
from mzpress.model.plain_text import markup_problem
from mzpress.model.yaml_source import LineDict, LineList

DEFAULT_ALLOWED_DOMAINS = ("gov.cn",)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 500
DEFAULT_HOME_LATEST = 8
MAX_HOME_LATEST = 100
DEFAULT_FULL_TEXT_LATEST = 300
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MIN_MAX_BYTES, MAX_MAX_BYTES = 10 * 1024, 100 * 1024 * 1024
DEFAULT_MAX_EDGE = 1600
MIN_MAX_EDGE, MAX_MAX_EDGE = 100, 10000
DEFAULT_MAX_MARKDOWN_KB = 1024
MIN_MAX_MARKDOWN_KB, MAX_MAX_MARKDOWN_KB = 64, 10 * 1024

_DOMAIN = re.compile(r"^(?:\*\.)?[^\s/:@?#*]+\.[^\s/:@?#*]+\.?$")


# 我为政府网站找错: the national platform's form (the footer adds ?site_code=网站标识码&url=the page's address).
ERROR_REPORT_DEFAULT = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"
# The record's page on the national platform of public-security filings (全国互联网安全管理服务平台), by its number.
POLICE_RECORD_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={number}"
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")


@dataclass(frozen=True)
class PoliceRecord:
    """``footer.police_record``: the 公安机关备案 shown in the footer, a link to the record with its badge.

    ``code`` as issued (赣公网安备36010202000000号); ``url`` the record's page (by default the national
    platform's page for the number in ``code``); ``badge`` the platform's badge image, a path in the site.
    """

    code: str = ""
    url: str = ""
    badge: str = ""


@dataclass(frozen=True)
class Footer:
    """The government site footer (``footer:``); templates read these names as ``mz.footer.*``.

    ``police`` is the 公安机关备案号 (``footer.police``, or ``footer.police_record.code``): the same as
    ``police_record.code``. ``conac_url``: the 党政机关网站标识's verification page (bszs.conac.cn) the mark
    links to.
    """

    sponsor: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    site_code: str = ""
    icp: str = ""
    police: str = ""
    party_mark: str = ""
    # 我为政府网站找错: where readers report errors (the national platform unless the bureau has its own)
    error_report: str = ERROR_REPORT_DEFAULT
    conac_url: str = ""
    police_record: PoliceRecord = field(default_factory=PoliceRecord)


@dataclass(frozen=True)
class LinkSettings:
    """``links:``: domains body links may point to without a warning (subdomains included)."""

    allowed_domains: tuple[str, ...] = DEFAULT_ALLOWED_DOMAINS


@dataclass(frozen=True)
class ListingSettings:
    """``listing:``: entries per listing page, and stories under “最新动态” on the home page."""

    page_size: int = DEFAULT_PAGE_SIZE
    home_latest: int = DEFAULT_HOME_LATEST


@dataclass(frozen=True)
class SearchSettings:
    """``search:``: how many of the newest stories go into the search index in full text."""

    full_text_latest: int = DEFAULT_FULL_TEXT_LATEST


@dataclass(frozen=True)
class ImageSettings:
    """``images:``: the limits images are held to (``mzpress check``, fix-images, import-docx)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_edge: int = DEFAULT_MAX_EDGE


@dataclass(frozen=True)
class ContentSettings:
    """``content:``: what may be published from content/ besides pages, images and attachments.

    ``extra_files``: glob patterns (relative to content/, e.g. ``downloads/*.zip``) of files of the
    types in :data:`mzpress.model.content_files.EXTRA_KINDS`, published after a signature and size check.
    ``max_markdown_kb``: the largest Markdown file (in KB of 1,024 bytes) the content loader reads;
    a larger one is an error (``content.too-large``), never published and not checked further.
    """

    extra_files: tuple[str, ...] = ()
    max_markdown_kb: int = DEFAULT_MAX_MARKDOWN_KB

    @property
    def max_markdown_bytes(self) -> int:
        return self.max_markdown_kb * 1024


DISTRIBUTION_KEYS = ("报", "送", "发")


@dataclass(frozen=True)
class BulletinDistribution:
    """``bulletin.distribution``: who receives the printed issue, the 报/送/发 block at its foot
    (报: the higher offices it is reported to; 送: offices at the same level; 发: the units below)."""

    report: tuple[str, ...] = ()  # 报
    send: tuple[str, ...] = ()  # 送
    issue: tuple[str, ...] = ()  # 发

    def lines(self) -> list[str]:
        """``报：市民政局，县委办公室。`` …, one line per list that is not empty, in the order 报、送、发."""
        return [f"{key}：{'，'.join(names)}。"
                for key, names in zip(DISTRIBUTION_KEYS, (self.report, self.send, self.issue)) if names]


@dataclass(frozen=True)
class BulletinSettings:
    """``bulletin:``: the monthly bulletin (民政简报) that ``mzpress bulletin`` assembles.

    ``name`` its title (default: the county + 民政简报); ``unit`` the unit id that compiles it
    (default ``office``); ``author``/``editor`` who compiles and who signs it off, unless given on the
    command line; ``first_issue``/``first_total`` the numbers of the first issue mzpress makes (this
    year's issue number and the running total), for a bulletin that was numbered before mzpress;
    ``distribution`` the 报/送/发 block printed with each issue.
    """

    name: str = ""
    unit: str = "office"
    author: str = ""
    editor: str = ""
    first_issue: int = 1
    first_total: int = 1
    distribution: BulletinDistribution = field(default_factory=BulletinDistribution)


@dataclass(frozen=True)
class QuickLink:
    name: str
    url: str


SPACING_STYLES = {"none": "中文与数字、英文之间不加空格（政府公文惯例，默认）",
                  "latin": "中文与数字、英文之间加一个空格（部分科技类出版物的写法）"}


@dataclass(frozen=True)
class MourningPeriod:
    """A national mourning day (全国哀悼日) or memorial day: every page grey from ``start`` to ``end``."""

    start: dt.datetime
    end: dt.datetime
    reason: str
    line: int  # in site.yml

    def covers(self, moment: dt.datetime) -> bool:
        return self.start <= moment <= self.end


@dataclass(frozen=True)
class TypographySettings:
    """``typography:``: the house style the typography check and ``mzpress fmt`` follow."""

    spacing: str = "none"  # a key of SPACING_STYLES


@dataclass(frozen=True)
class SiteSettings:
    name: str = ""
    county: str = ""
    url: str = ""
    description: str = ""
    logo: str = ""  # the bureau's emblem in the header: a path in the site (theme.logo); "" keeps mkdocs.yml's
    footer: Footer = field(default_factory=Footer)
    links: LinkSettings = field(default_factory=LinkSettings)
    ledger: LedgerSettings = field(default_factory=LedgerSettings)
    listing: ListingSettings = field(default_factory=ListingSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    content: ContentSettings = field(default_factory=ContentSettings)
    quick_links: tuple[QuickLink, ...] = ()
    bulletin: BulletinSettings = field(default_factory=BulletinSettings)
    typography: TypographySettings = field(default_factory=TypographySettings)
    mourning: tuple[MourningPeriod, ...] = ()
    # Contact numbers the bureau publishes on purpose (a 24-hour hotline on a mobile, a village
    # office's phone): never masked by ``mzpress mask``, never a privacy finding. As written in site.yml.
    public_numbers: tuple[str, ...] = ()

    def mourning_at(self, moment: dt.datetime) -> MourningPeriod | None:
        """The mourning period that covers ``moment`` (the build time), if any."""
        return next((period for period in self.mourning if period.covers(moment)), None)

    @property
    def bulletin_name(self) -> str:
        return self.bulletin.name or f"{self.county}民政简报"


SITE_KEYS = ("name", "county", "url", "description", "logo", "footer", "links", "ledger", "listing", "quick_links",
             "search", "images", "content", "bulletin", "typography", "mourning", "public_numbers")
FOOTER_FIELDS = (("sponsor", "主办单位", True), ("address", "地址", True), ("postcode", "邮编", False),
                 ("phone", "联系电话", True), ("site_code", "网站标识码", True), ("icp", "ICP备案号", True),
                 ("police", "公安机关备案号", False), ("party_mark", "党政机关网站标识图片", False))


def _footer(reader: ConfigReader, data: LineDict) -> Footer:
    section = data.get("footer")
    if not isinstance(section, LineDict):
        what = "页脚信息 footer（主办单位、地址、电话、网站标识码、备案号）"
        message = (f"缺少{what}。" if section is None
                   else f"{what}应当写成若干行“字段: 内容”，现在是“{shown(section)}”。")
        reader.fail(data.line_of("footer"), message,
                    "参照示例写 footer: 一节，下面每行缩进两个空格写 sponsor、address、phone、site_code、icp、police。")
        return Footer()
    reader.known_keys(section, [key for key, _, _ in FOOTER_FIELDS] + ["error_report", "conac_url", "police_record"],
                      "footer 一节")
    error_report = reader.url(section, "error_report", "“我为政府网站找错”的网址", required=False,
                              path="footer.error_report", relative=True)
    conac_url = reader.url(section, "conac_url", "党政机关网站标识的核验网址", required=False, path="footer.conac_url")
    values = {key: reader.text(section, key, label, required=required, path=f"footer.{key}")
              for key, label, required in FOOTER_FIELDS}
    record = _police_record(reader, section, values["police"])
    return Footer(**{**values, "police": record.code}, error_report=error_report or ERROR_REPORT_DEFAULT,
                  conac_url=conac_url, police_record=record)


def site_path(reader: ConfigReader, mapping: LineDict, key: str, label: str, path: str) -> str:
    """An image of the site itself (``assets/images/x.svg``, under content/ or overrides/), never another host's."""
    value = reader.text(mapping, key, label, required=False, path=path)
    if not value:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    inside = (parts is not None and not parts.scheme and not parts.netloc and not value.startswith(("/", "\\"))
              and ".." not in value.replace("\\", "/").split("/") and " " not in value)
    if not inside or not value.lower().endswith(IMAGE_SUFFIXES):
        reader.fail(mapping.line_of(key), f"{label}（{path}）“{value}”不是本网站里的图片路径。",
                    f"把图片（{'、'.join(IMAGE_SUFFIXES)}）放进 overrides/assets/images/ 或 content/assets/images/，"
                    f"写它在网站里的路径，例如 {key}: assets/images/文件名.svg；不能写其他网站的地址（网页的安全策略只允许本站的图片）。")
        return ""
    return value


_POLICE_EXAMPLE = "police_record: {code: 赣公网安备36010202000000号, badge: assets/images/mz-police-badge.svg}"


def _police_record(reader: ConfigReader, footer: LineDict, police: str) -> PoliceRecord:
    """``footer.police_record`` {code, url, badge}, or the short form ``footer.police`` (the number only)."""
    value = footer.get("police_record")
    if value is None:
        if not police:
            reader.fail(footer.line, "缺少公安机关备案号（footer.police_record）。",
                        f"在 footer: 下补上一行 {_POLICE_EXAMPLE}")
        return PoliceRecord(police, _police_url(police))
    if not isinstance(value, LineDict):
        reader.fail(footer.line_of("police_record"),
                    f"footer.police_record（公安机关备案）应当写成 code、url、badge 几项，现在是“{shown(value)}”。",
                    f"例如 {_POLICE_EXAMPLE}")
        return PoliceRecord(police, _police_url(police))
    reader.known_keys(value, ["code", "url", "badge"], "footer.police_record 一节")
    code = reader.text(value, "code", "公安机关备案号", required=not police, path="footer.police_record.code")
    if police and code and police != code:
        reader.fail(value.line_of("code"), f"公安机关备案号写了两个不同的：footer.police 是“{police}”，"
                    f"footer.police_record.code 是“{code}”。", "删掉 footer.police 这一行，只在 police_record 里写 code。")
    code = code or police
    url = reader.url(value, "url", "公安机关备案的查询网址", required=False, path="footer.police_record.url")
    badge = site_path(reader, value, "badge", "公安机关备案图标", "footer.police_record.badge")
    if code and not url and not _police_url(code):
        reader.fail(value.line_of("code") or value.line, f"公安机关备案号“{code}”里没有备案编号的数字，无法生成查询链接。",
                    "照备案证明原样写，例如 code: 赣公网安备36010202000000号；或用 url: 写出备案查询页的网址。")
    return PoliceRecord(code, url or _police_url(code), badge)


def _police_url(code: str) -> str:
    number = "".join(re.findall(r"\d+", code))
    return POLICE_RECORD_URL.format(number=number) if number else ""


def _links(reader: ConfigReader, data: LineDict) -> LinkSettings:
    section = reader.section(data, "links", "允许链接的网站", "allowed_domains: [gov.cn]")
    if section is None:
        return LinkSettings()
    reader.known_keys(section, ["allowed_domains"], "links 一节")
    value = section.get("allowed_domains")
    if value is None:
        return LinkSettings()
    if not isinstance(value, LineList) or not value:
        reader.fail(section.line_of("allowed_domains"),
                    f"links.allowed_domains（允许链接的域名）应当是一个域名列表，现在是“{shown(value)}”。",
                    "写成 allowed_domains: [gov.cn, example.gov.cn]，方括号里用英文逗号隔开，至少写一个域名。")
        return LinkSettings()
    domains = []
    for index, item in enumerate(value):
        text = str(item).strip() if isinstance(item, str) else ""
        if not _DOMAIN.match(text):
            reader.fail(value.line_of(index),
                        f"links.allowed_domains 的第{index + 1}项“{shown(item)}”不是域名。",
                        "只写域名本身，例如 gov.cn 或 www.people.com.cn，不要带 https:// 和路径。")
            continue
        domains.append(text.lower().removeprefix("*.").rstrip("."))
    return LinkSettings(tuple(domains)) if domains else LinkSettings()


def _ledger(reader: ConfigReader, data: LineDict) -> LedgerSettings:
    reader = reader.with_rule("config.ledger")
    value = data.get("ledger")
    if value is None:
        return LedgerSettings()
    if not isinstance(value, LineDict):
        reader.fail(data.line_of("ledger"), "ledger 应当写成两行：start 和 backdate_tolerance_hours。",
                    "参照示例：ledger: 下一行缩进写 start: 2026-12-01，再一行 backdate_tolerance_hours: 48")
        return LedgerSettings(valid=False)
    before = len(reader.findings)
    reader.known_keys(value, ["start", "backdate_tolerance_hours"], "ledger 一节")
    start = None
    try:
        start = parse_ledger_start(value.get("start"))
    except LedgerConfigError as exc:
        reader.fail(value.line_of("start"), str(exc), "写成迁移截止的日期（如2026-12-01）或迁移提交的编号。")
    tolerance = reader.number(value, "backdate_tolerance_hours", "发布时间可以早于实际发布的小时数",
                              DEFAULT_TOLERANCE_HOURS, 0, MAX_TOLERANCE_HOURS, "（小时）",
                              path="ledger.backdate_tolerance_hours")
    return LedgerSettings(start, value.line_of("start") if "start" in value else value.line, tolerance,
                          valid=len(reader.findings) == before)


def _listing(reader: ConfigReader, data: LineDict) -> ListingSettings:
    section = reader.section(data, "listing", "列表页", "page_size: 20")
    if section is None:
        return ListingSettings()
    reader.known_keys(section, ["page_size", "home_latest"], "listing 一节")
    return ListingSettings(
        reader.integer(section, "page_size", "每个列表页显示的条数", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE,
                       path="listing.page_size"),
        reader.integer(section, "home_latest", "首页“最新动态”显示的稿件篇数", DEFAULT_HOME_LATEST, 1,
                       MAX_HOME_LATEST, path="listing.home_latest"))


def _search(reader: ConfigReader, data: LineDict) -> SearchSettings:
    reader = reader.with_rule("config.search")
    section = reader.section(data, "search", "站内搜索", f"full_text_latest: {DEFAULT_FULL_TEXT_LATEST}")
    if section is None:
        return SearchSettings()
    reader.known_keys(section, ["full_text_latest"], "search 一节")
    return SearchSettings(reader.integer(section, "full_text_latest", "全文进入搜索的最新稿件篇数",
                                         DEFAULT_FULL_TEXT_LATEST, 0, path="search.full_text_latest"))


def _images(reader: ConfigReader, data: LineDict) -> ImageSettings:
    section = reader.section(data, "images", "图片限制", f"max_edge: {DEFAULT_MAX_EDGE}")
    if section is None:
        return ImageSettings()
    reader.known_keys(section, ["max_bytes", "max_edge"], "images 一节")
    return ImageSettings(
        reader.integer(section, "max_bytes", "图片文件的最大字节数", DEFAULT_MAX_BYTES, MIN_MAX_BYTES, MAX_MAX_BYTES,
                       path="images.max_bytes"),
        reader.integer(section, "max_edge", "图片长边的最大像素数", DEFAULT_MAX_EDGE, MIN_MAX_EDGE, MAX_MAX_EDGE,
                       path="images.max_edge"))


def _content(reader: ConfigReader, data: LineDict) -> ContentSettings:
    section = reader.section(data, "content", "内容文件", 'extra_files: ["downloads/*.zip"]')
    if section is None:
        return ContentSettings()
    reader.known_keys(section, ["extra_files", "max_markdown_kb"], "content 一节")
    limit = reader.integer(section, "max_markdown_kb", "每个 Markdown 稿件文件的最大KB数", DEFAULT_MAX_MARKDOWN_KB,
                           MIN_MAX_MARKDOWN_KB, MAX_MAX_MARKDOWN_KB, path="content.max_markdown_kb")
    value = section.get("extra_files")
    if value is None:
        return ContentSettings(max_markdown_kb=limit)
    if not isinstance(value, LineList):
        reader.fail(section.line_of("extra_files"),
                    f"content.extra_files（另外允许发布的文件）应当是一个列表，现在是“{shown(value)}”。",
                    '写成 extra_files: ["downloads/*.zip", "media/宣传片.mp4"]，路径相对于 content/。')
        return ContentSettings(max_markdown_kb=limit)
    patterns = []
    for index, item in enumerate(value):
        text = item.strip() if isinstance(item, str) else ""
        suffix = text.rsplit(".", 1)[-1].lower() if "." in text.rsplit("/", 1)[-1] else ""
        if not text or text.startswith(("/", "../")) or "/../" in text or f".{suffix}" not in EXTRA_KINDS:
            reader.fail(value.line_of(index),
                        f"content.extra_files 的第{index + 1}项“{shown(item)}”不能用：只能列出 content/ 里以下类型的文件："
                        f"{'、'.join(sorted(EXTRA_KINDS))}。",
                        "写相对于 content/ 的路径或通配符，并以允许的扩展名结尾，例如 downloads/*.zip；"
                        "网页、脚本和样式文件只能由技术人员放在 overrides/ 里。")
            continue
        patterns.append(text)
    return ContentSettings(tuple(patterns), limit)


BULLETIN_KEYS = ("name", "unit", "author", "editor", "first_issue", "first_total", "distribution")
MAX_ISSUE = 100000


def _typography(reader: ConfigReader, data: LineDict) -> TypographySettings:
    section = reader.section(data, "typography", "中文排版", "spacing: none")
    if section is None:
        return TypographySettings()
    reader.known_keys(section, ("spacing",), "typography 一节")
    spacing = section.get("spacing", "none")
    if spacing not in SPACING_STYLES:
        choices = "；".join(f"{key}：{label}" for key, label in SPACING_STYLES.items())
        reader.fail(section.line_of("spacing"), f"typography.spacing 只能写 none 或 latin，现在是“{spacing}”。",
                    f"改成 spacing: none（{choices}）。")
        return TypographySettings()
    return TypographySettings(spacing=spacing)


def _moment(value, end_of_day: bool) -> dt.datetime | None:
    """A date-time of site.yml in Beijing time: a date alone is the start (or end) of that day."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value.astimezone(SHANGHAI)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(23, 59, 59) if end_of_day else dt.time(0, 0), SHANGHAI)
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                parsed = dt.datetime.strptime(value.strip(), fmt)
            except ValueError:
                continue
            return _moment(parsed.date(), end_of_day) if fmt == "%Y-%m-%d" else parsed.replace(tzinfo=SHANGHAI)
    return None


def _mourning(reader: ConfigReader, data: LineDict) -> tuple[MourningPeriod, ...]:
    value = data.get("mourning")
    example = "- {start: 2026-12-13 00:00, end: 2026-12-13 23:59, reason: 国家公祭日}"
    if value is None:
        return ()
    if not isinstance(value, LineList):
        reader.fail(data.line_of("mourning"), f"mourning（网站置灰的哀悼日）应当是一个列表，现在是“{shown(value)}”。",
                    f"每个时段一行，以“- ”开头，例如 {example}")
        return ()
    periods = []
    for index, item in enumerate(value):
        line = value.line_of(index)
        if not isinstance(item, LineDict):
            reader.fail(line, f"mourning 的第{index + 1}项应当写成 {{start: 开始时间, end: 结束时间, reason: 原因}}。",
                        f"例如 {example}")
            continue
        reader.known_keys(item, ["start", "end", "reason"], f"mourning 的第{index + 1}项")
        start, end = _moment(item.get("start"), False), _moment(item.get("end"), True)
        reason = reader.text(item, "reason", "置灰的原因", path="mourning.reason")
        if start is None or end is None:
            reader.fail(line, f"mourning 的第{index + 1}项缺少开始或结束时间，或时间写法不对。",
                        f"按“年-月-日 时:分”写，例如 {example}")
            continue
        if reason:
            periods.append(MourningPeriod(start, end, reason, line))
    return tuple(periods)


def _bulletin(reader: ConfigReader, data: LineDict) -> BulletinSettings:
    section = reader.section(data, "bulletin", "民政简报", "name: 示例县民政简报")
    if section is None:
        return BulletinSettings()
    reader.known_keys(section, BULLETIN_KEYS, "bulletin 一节")
    defaults = BulletinSettings()
    return BulletinSettings(
        name=reader.text(section, "name", "简报名称", required=False, path="bulletin.name"),
        unit=reader.text(section, "unit", "编印简报的单位代号", required=False, path="bulletin.unit") or defaults.unit,
        author=reader.text(section, "author", "简报的编辑", required=False, path="bulletin.author"),
        editor=reader.text(section, "editor", "简报的责任编辑（签发人）", required=False, path="bulletin.editor"),
        first_issue=reader.integer(section, "first_issue", "第一期的本年期号", 1, 1, 366, path="bulletin.first_issue"),
        first_total=reader.integer(section, "first_total", "第一期的总期号", 1, 1, MAX_ISSUE,
                                   path="bulletin.first_total"),
        distribution=_distribution(reader, section))


_DISTRIBUTION_EXAMPLE = "distribution: {报: [市民政局], 送: [县委办公室, 县人民政府办公室], 发: [各乡镇民政所]}"


def _distribution(reader: ConfigReader, section: LineDict) -> BulletinDistribution:
    """``bulletin.distribution``: 报, 送 and 发, each a list of names (a single name is fine too)."""
    value = section.get("distribution")
    if value is None:
        return BulletinDistribution()
    if not isinstance(value, LineDict):
        reader.fail(section.line_of("distribution"),
                    f"bulletin.distribution（简报的报送范围）应当写成“报”“送”“发”三项，现在是“{shown(value)}”。",
                    f"例如 {_DISTRIBUTION_EXAMPLE}，不需要的一项可以不写。")
        return BulletinDistribution()
    reader.known_keys(value, DISTRIBUTION_KEYS, "bulletin.distribution 一节")
    lists = []
    for key in DISTRIBUTION_KEYS:
        names = value.get(key)
        if names is None:
            lists.append(())
            continue
        items = [names] if isinstance(names, str) else names
        if not isinstance(items, list):
            reader.fail(value.line_of(key), f"bulletin.distribution 的“{key}”应当是单位名称的列表，现在是“{shown(names)}”。",
                        f"写成 {key}: [单位一, 单位二]，方括号里用英文逗号隔开。")
            lists.append(())
            continue
        kept = []
        for index, item in enumerate(items):
            line = items.line_of(index) if isinstance(items, LineList) else value.line_of(key)
            text = str(item).strip() if isinstance(item, str | int) and not isinstance(item, bool) else ""
            if not text:
                reader.fail(line, f"bulletin.distribution 的“{key}”第{index + 1}项“{shown(item)}”不是单位名称。",
                            f"每项写一个单位的名称，例如 {key}: [市民政局]。")
                continue
            problem = markup_problem(f"“{key}”的单位名称", f"bulletin.distribution.{key}", text)
            if problem is not None:
                reader.fail(line, *problem)
                continue
            kept.append(text.rstrip("，,。.;；、"))
        lists.append(tuple(kept))
    return BulletinDistribution(*lists)


# A public number: digits, with spaces, hyphens, brackets and a leading + between them; a telephone
# number is at most 13 digits (a mobile with +86), so an ID number or a bank card can never be listed.
_PUBLIC_NUMBER = re.compile(r"^\+?[0-9][0-9 ()（）\-]*[0-9]$")
MIN_PUBLIC_DIGITS, MAX_PUBLIC_DIGITS = 5, 13


def _public_numbers(reader: ConfigReader, data: LineDict) -> tuple[str, ...]:
    value = data.get("public_numbers")
    example = "public_numbers: [0000-0000000, 13900000000]"
    if value is None:
        return ()
    if not isinstance(value, LineList):
        reader.fail(data.line_of("public_numbers"),
                    f"public_numbers（对外公开的联系电话）应当是一个号码列表，现在是“{shown(value)}”。",
                    f"写成 {example}，方括号里用英文逗号隔开。")
        return ()
    numbers = []
    for index, item in enumerate(value):
        line = value.line_of(index)
        text = str(item).strip() if isinstance(item, str | int) and not isinstance(item, bool) else ""
        digits = sum(ch.isdigit() for ch in text)
        if not _PUBLIC_NUMBER.match(text):
            reader.fail(line, f"public_numbers 的第{index + 1}项“{shown(item)}”不是电话号码。",
                        "只写号码本身（阿拉伯数字，可以用连字符隔开区号），例如 0000-0000000 或 13900000000；"
                        "号码的用途可以写在这一行末尾的 # 注释里。")
            continue
        if not MIN_PUBLIC_DIGITS <= digits <= MAX_PUBLIC_DIGITS:
            reader.fail(line, f"public_numbers 的第{index + 1}项有{digits}位数字，不是电话号码"
                              f"（电话号码最多{MAX_PUBLIC_DIGITS}位）。",
                        "这里只能列对外公开的联系电话；身份证号、银行卡号等个人信息无论如何都不能公开，不要写在这里。")
            continue
        numbers.append(text)
    return tuple(numbers)


def _quick_links(reader: ConfigReader, data: LineDict) -> tuple[QuickLink, ...]:
    value = data.get("quick_links")
    if value is None:
        return ()
    if not isinstance(value, LineList):
        reader.fail(data.line_of("quick_links"), f"quick_links（首页快捷链接）应当是一个列表，现在是“{shown(value)}”。",
                    "每个链接一行，以“- ”开头，例如 - {name: 示例县人民政府, url: https://www.example.gov.cn/}")
        return ()
    links = []
    for index, item in enumerate(value):
        if not isinstance(item, LineDict):
            reader.fail(value.line_of(index), f"quick_links 的第{index + 1}项应当写成 {{name: 名称, url: 网址}}。",
                        "例如 - {name: 示例县人民政府, url: https://www.example.gov.cn/}")
            continue
        reader.known_keys(item, ["name", "url"], f"quick_links 的第{index + 1}项")
        name = reader.text(item, "name", "快捷链接的名称", path="quick_links.name")
        url = reader.url(item, "url", "快捷链接的网址", path="quick_links.url", relative=True)
        if name and url:
            links.append(QuickLink(name, url))
    return tuple(links)


def read_site_settings(reader: ConfigReader, data) -> SiteSettings:
    """``site.yml`` as :class:`SiteSettings`; every problem is added to ``reader.findings``."""
    if data is None:
        return SiteSettings()
    if not isinstance(data, LineDict):
        reader.fail(1, "site.yml 应当是“字段: 内容”的形式。", "参照示例文件填写。")
        return SiteSettings()
    reader.known_keys(data, SITE_KEYS, "site.yml ")
    return SiteSettings(
        name=reader.text(data, "name", "网站名称（主办单位全称）"),
        county=reader.text(data, "county", "县名", required=False),
        url=reader.url(data, "url", "网站地址"),
        description=reader.text(data, "description", "网站简介", required=False),
        logo=site_path(reader, data, "logo", "页头的本局标志图片", "logo"),
        footer=_footer(reader, data),
        links=_links(reader, data),
        ledger=_ledger(reader, data),
        listing=_listing(reader, data),
        search=_search(reader, data),
        images=_images(reader, data),
        content=_content(reader, data),
        quick_links=_quick_links(reader, data),
        bulletin=_bulletin(reader, data),
        typography=_typography(reader, data),
        mourning=_mourning(reader, data),
        public_numbers=_public_numbers(reader, data),
    )
