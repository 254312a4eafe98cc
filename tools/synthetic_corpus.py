"""A deterministic synthetic archive in the mzpress content format, for benchmarks and tests.

``generate(root, stories)`` writes ``content/`` for the project at ``root`` (whose
``site_config/`` must already exist): ``stories`` stories of six Chinese paragraphs
spread over ten years, from every unit and topic in the configuration, a few
notices a year, the three campaigns with their member pages, topic introductions,
the about pages, the home page, and a handful of small shared cover images per
year. The same arguments always give byte-identical files.

``blog_baseline(root, dest)`` converts such a tree into a stock Material for MkDocs
project with its blog plugin (the comparison ``scripts/bench --baseline`` builds).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from mzpress.model.config import SiteConfig, require_config

DEFAULT_SEED = 2026
DEFAULT_END = dt.date(2026, 11, 29)
YEARS = 10
IMAGES_PER_YEAR = 4
CAMPAIGNS = (
    ("zuimei-chuangkou", "最美民政窗口评选", "selection"),
    ("zuimei-minzhengren", "最美基层民政人评选", "selection"),
    ("meiyue-yixun", "每月一训", "training"),
)

_PLACES = (
    ("城关镇", "chengguan"), ("东湖乡", "donghu"), ("河西街道", "hexi"), ("青山镇", "qingshan"),
    ("白沙乡", "baisha"), ("石桥镇", "shiqiao"), ("龙泉街道", "longquan"), ("柳溪乡", "liuxi"),
    ("桃源镇", "taoyuan"), ("新田乡", "xintian"), ("枫林镇", "fenglin"), ("南岭乡", "nanling"),
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = ("晓梅", "建国", "丽华", "志强", "春生", "秀兰", "海燕", "立新", "国华", "文静", "红梅", "德明",
          "玉洁", "明辉", "小军", "雪芳", "永红", "家豪", "佳怡", "振华", "桂英", "俊杰", "美玲", "宏伟")

# Per topic: (pinyin slug part, activity titles, tags, sentences about the work).
_TOPIC_WORDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "xiaoxian": ("jinglao", (
        "开展孝老爱亲主题志愿服务活动", "长者食堂开餐 老人吃上暖心饭", "举办敬老月文艺汇演",
        "为高龄老人送去节日慰问", "推进家庭养老床位建设", "开展适老化改造入户评估"),
        ("敬老", "长者食堂", "居家养老", "志愿服务", "助餐服务", "适老化改造"), (
        "志愿者每周上门为独居老人打扫卫生、理发剪指甲，陪老人聊聊家常",
        "长者食堂两荤两素一汤，六十岁以上老人每餐只需支付五元",
        "行动不便的高龄老人可以享受送餐上门服务，送餐员顺便察看老人的身体状况",
        "社区医生为老人测量血压血糖，讲解冬季常见病的预防知识",
        "养老服务中心开设书法、合唱和手工课程，老人们在家门口就能老有所乐",
        "工作人员逐户走访空巢老人，建立关爱服务台账，做到情况清、底数明")),
    "shequ": ("shequ", (
        "举办邻里文化节", "开展社区志愿服务集中行动", "建成社区综合服务站",
        "推行居务公开栏规范化建设", "开展社区治理议事协商活动", "组织社区志愿者业务培训"),
        ("社区治理", "邻里互助", "志愿服务", "议事协商", "社区服务"), (
        "居民们带来自家做的饭菜和手工作品，在社区广场上摆起了长桌宴",
        "社区志愿服务队定期开展环境整治、矛盾调解和政策宣传活动",
        "综合服务站设有便民服务窗口、老年活动室和儿童之家，方便居民就近办事",
        "议事会上，居民代表围绕停车难、加装电梯等问题各抒己见，形成了解决方案",
        "网格员每天走街串户，及时收集居民的意见建议并反馈到社区",
        "社区把闲置用房改造成居民活动中心，成为邻里交流的好去处")),
    "cishan": ("cishan", (
        "开展中华慈善日爱心义卖活动", "举办金秋助学慈善捐赠仪式", "社区慈善基金资助困难家庭",
        "开展慈善政策进社区宣传", "组织爱心企业结对帮扶", "发放慈善助学金"),
        ("慈善", "助学", "义卖", "社区慈善", "爱心捐赠"), (
        "居民捐出闲置图书、玩具和手工作品，所得善款全部用于社区困难老人助餐",
        "爱心企业和个人踊跃捐款，善款将用于资助家庭困难的大学新生",
        "善款的收支情况在社区公开栏定期公布，接受居民和捐赠人的监督",
        "慈善组织工作人员向居民讲解慈善法的主要内容和参与慈善的途径",
        "结对帮扶的企业为困境儿童送去了学习用品和冬衣",
        "社区慈善基金设立以来，先后资助了助餐、助学和应急救助等项目")),
    "shetuan": ("shetuan", (
        "开展社会组织年报工作培训", "举办社会组织公益项目展示会", "推进社会组织等级评估",
        "组织社会组织参与基层治理", "开展社会组织规范化建设督查", "召开行业协会商会座谈会"),
        ("社会组织", "年报", "等级评估", "公益项目", "规范管理"), (
        "培训围绕年度报告填报、财务管理和信息公开等内容进行了详细讲解",
        "各社会组织展示了助老、助残、助学等公益项目的开展情况和服务成效",
        "评估组通过查阅资料、实地察看和座谈交流等方式进行了综合评估",
        "社会组织发挥专业优势，在社区服务和矛盾调解中发挥了积极作用",
        "督查组对社会组织的章程执行、内部治理和活动开展情况进行了检查",
        "行业协会负责人围绕服务会员、规范发展等话题交流了经验做法")),
    "hunyin": ("hunyin", (
        "举办集体颁证仪式", "开展婚俗改革宣传活动", "设立婚姻家庭辅导室",
        "推行婚事新办倡议", "开展结婚登记颁证服务", "举办婚姻家庭讲座"),
        ("婚俗改革", "颁证仪式", "婚姻家庭辅导", "婚事新办"), (
        "新人们在亲友的见证下郑重宣读结婚誓言，领取了结婚证书",
        "工作人员向群众发放倡议书，倡导婚事新办、简约适度的婚俗新风",
        "婚姻家庭辅导室由专业社工坐班，为有需要的群众提供辅导服务",
        "登记处优化办理流程，群众预约后到场即可办理，全程不超过半小时",
        "讲座围绕夫妻沟通、家庭责任和子女教育等话题展开，现场互动热烈",
        "志愿者走进村组，用群众喜闻乐见的方式宣传移风易俗")),
    "binzang": ("binzang", (
        "开展文明祭扫宣传活动", "推进公益性公墓建设", "提供清明节祭扫服务",
        "推行节地生态安葬", "开展殡葬服务收费检查", "落实惠民殡葬政策"),
        ("文明祭扫", "节地生态安葬", "殡葬改革", "惠民殡葬"), (
        "工作人员在公墓入口处设置鲜花换纸钱服务点，引导群众文明祭扫",
        "公益性公墓规划合理、环境整洁，满足了周边群众的安葬需求",
        "清明期间，殡葬服务机构延长服务时间，安排专人引导和讲解",
        "节地生态安葬方式逐步被群众接受，越来越多的家庭选择树葬和花坛葬",
        "检查组对殡葬服务机构的收费项目和标准公示情况进行了检查",
        "基本殡葬服务减免政策由工作人员一次告知、当场办理")),
}
_GENERAL_SENTENCES = (
    "县民政局有关负责人表示，下一步将继续深化这项工作，让更多群众得到实惠",
    "活动现场气氛热烈，参加活动的群众纷纷表示很受启发",
    "各乡镇民政办负责同志参加了活动，并就做好下一阶段工作进行了交流",
    "这项工作得到了群众的普遍好评，形成了可复制、可推广的经验",
    "为确保工作取得实效，县民政局成立了工作专班，明确了责任分工和时间安排",
    "工作人员耐心细致地解答了群众关心的问题，发放宣传资料两百余份",
    "今后将进一步完善工作机制，加强部门协作，把好事办好、实事办实",
    "据了解，全县已有多个乡镇开展了类似活动，覆盖群众上万人",
)
_HEADINGS = ("主要做法", "工作成效", "群众反响", "下一步打算", "经验做法", "活动亮点")
_NOTICE_TITLES = (
    ("关于{year}年第{quarter}季度城乡低保新增对象的公示", "dibao-gongshi"),
    ("关于{year}年度社会组织等级评估结果的公示", "pinggu-gongshi"),
    ("关于{year}年度养老服务补贴发放对象的公示", "yanglao-butie"),
    ("关于征集{year}年民政领域民生实事项目意见建议的公告", "minsheng-zhengji"),
)


@dataclass(frozen=True)
class CorpusSummary:
    stories: int
    notices: int
    members: int
    images: int
    story_srcs: tuple[str, ...]  # paths relative to content/, oldest first


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _front_matter(values: dict) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def _sentence(rng: random.Random, topic_sentences: tuple[str, ...], place: str) -> str:
    pool = topic_sentences if rng.random() < 0.65 else _GENERAL_SENTENCES
    return _decorate(rng, rng.choice(pool), place)


def _decorate(rng: random.Random, sentence: str, place: str) -> str:
    if rng.random() < 0.25:
        sentence = f"在{place}，" + sentence
    return sentence + "。"


def _paragraph(rng: random.Random, topic_sentences: tuple[str, ...], place: str) -> str:
    """Three to five different sentences, mostly about the topic."""
    picked = rng.sample(topic_sentences, k=min(len(topic_sentences), rng.randint(2, 3)))
    picked += rng.sample(_GENERAL_SENTENCES, k=rng.randint(1, 2))
    rng.shuffle(picked)
    return "".join(_decorate(rng, sentence, place) for sentence in picked)


def _story_dates(count: int, end: dt.date, rng: random.Random) -> list[dt.datetime]:
    """``count`` publish times spread evenly over ``YEARS`` years up to ``end``, oldest first."""
    start = dt.datetime(end.year - YEARS + 1, 1, 1, 9, 0)
    span = (dt.datetime.combine(end, dt.time(9, 0)) - start).total_seconds()
    step = span / max(count, 1)
    result = []
    for index in range(count):
        offset = index * step + rng.uniform(0, step * 0.8)
        moment = start + dt.timedelta(seconds=offset)
        result.append(moment.replace(hour=8 + moment.hour % 10, minute=(moment.minute // 5) * 5, second=0,
                                     microsecond=0))
    return result


def _image_bytes(index: int) -> bytes:
    """A small deterministic JPEG (400 x 250): coloured stripes."""
    from PIL import Image, ImageDraw

    width, height = 400, 250
    palette = [(200, 60, 50), (40, 120, 180), (60, 150, 90), (180, 140, 40), (120, 80, 160), (90, 90, 90)]
    base = palette[index % len(palette)]
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    for stripe in range(8):
        shade = tuple(min(255, channel + stripe * 12) for channel in base)
        draw.rectangle((0, stripe * height // 8, width, (stripe + 1) * height // 8), fill=shade)
    draw.rectangle((width // 4, height // 3, width * 3 // 4, height // 3 + 30), fill=(250, 245, 235))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _stories(content: Path, config: SiteConfig, count: int, end: dt.date, rng: random.Random,
             images_by_year: dict[int, list[str]]) -> list[str]:
    topics = [t for t in config.topics if t.id in _TOPIC_WORDS] or []
    units = config.units
    srcs = []
    for index, when in enumerate(_story_dates(count, end, rng)):
        topic = topics[index % len(topics)] if topics else None
        words = _TOPIC_WORDS[topic.id] if topic else _TOPIC_WORDS["shequ"]
        slug_part, titles, tags, sentences = words
        place, place_slug = rng.choice(_PLACES)
        unit = units[index % len(units)] if index < len(units) else rng.choice(units)  # every unit early
        title = place + rng.choice(titles)
        slug = f"{place_slug}-{slug_part}-{index + 1:05d}"
        src = f"stories/{when.year}/{slug}.md"
        values: dict = {
            "title": title,
            "date": when.strftime("%Y-%m-%d %H:%M"),
            "unit": unit.id,
            "author": _person(rng),
            "editor": _person(rng),
        }
        story_topics = [topic.id] if topic else []
        if topics and rng.random() < 0.25:
            other = rng.choice(topics).id
            if other not in story_topics:
                story_topics.append(other)
        if story_topics:
            values["topics"] = story_topics
        values["summary"] = f"{title}，" + _sentence(rng, sentences, place)
        images = images_by_year[when.year]
        if rng.random() < 0.6:
            values["cover"] = f"images/{rng.choice(images)}"
            values["cover_alt"] = f"{place}{rng.choice(tags)}活动现场"
        values["tags"] = rng.sample(tags, k=min(len(tags), rng.randint(1, 3)))
        paragraphs = [_paragraph(rng, sentences, place) for _ in range(6)]
        body = paragraphs[:3] + [f"## {rng.choice(_HEADINGS)}"] + paragraphs[3:]
        if rng.random() < 0.2:
            body.insert(2, f"![{place}{rng.choice(tags)}活动照片](images/{rng.choice(images)})")
        _write(content / src, _front_matter(values) + "\n\n".join(body) + "\n")
        srcs.append(src)
    return srcs


def _notices(content: Path, config: SiteConfig, per_year: int, end: dt.date, rng: random.Random) -> int:
    count = 0
    office = config.unit_by_id.get("office") or config.units[0]
    for year in range(end.year - YEARS + 1, end.year + 1):
        for number in range(per_year):
            template, slug = _NOTICE_TITLES[number % len(_NOTICE_TITLES)]
            start = dt.date(year, 1 + (number * 11 // max(per_year, 1)) % 12, 5 + number % 20)
            if start > end:
                continue
            finish = start + dt.timedelta(days=6)
            title = template.format(year=year, quarter="一二三四"[number % 4])
            values = {
                "title": title,
                "date": f"{start - dt.timedelta(days=1):%Y-%m-%d} 10:00",
                "unit": office.id,
                "author": _person(rng),
                "editor": _person(rng),
                "summary": f"{title}，公示期为{start:%Y-%m-%d}至{finish:%Y-%m-%d}。",
                "start": start.isoformat(),
                "end": finish.isoformat(),
            }
            body = [
                f"根据有关规定，现将有关情况予以公示。公示期为{start:%Y年%-m月%-d日}至"
                f"{finish:%Y年%-m月%-d日}。",
                "公示期间，如有异议，请以书面形式向县民政局反映。反映情况应实事求是，并提供具体事实和联系方式。",
                "## 联系方式",
                "联系地址：县民政局办公室。",
            ]
            _write(content / f"notices/{year}/{slug}-{year}-{number + 1:02d}.md", _front_matter(values)
                   + "\n\n".join(body) + "\n")
            count += 1
    return count


def _campaigns(content: Path, config: SiteConfig, end: dt.date, rng: random.Random) -> int:
    members = 0
    office = config.unit_by_id.get("office") or config.units[0]
    for number, (ident, name, kind) in enumerate(CAMPAIGNS):
        start = dt.date(end.year, 1 + number * 3, 1)
        values = {
            "title": f"{end.year}年度{name}", "date": f"{start:%Y-%m-%d} 09:00", "unit": office.id,
            "author": _person(rng), "editor": _person(rng), "summary": f"{end.year}年度{name}活动介绍。",
            "start": start.isoformat(), "end": dt.date(end.year, 12, 31).isoformat(), "kind": kind,
        }
        body = "\n\n".join(_paragraph(rng, _GENERAL_SENTENCES, "全县") for _ in range(3))
        _write(content / f"campaigns/{ident}/index.md", _front_matter(values) + body + "\n")
        for order in range(1, 5):
            place, place_slug = _PLACES[(number * 4 + order) % len(_PLACES)]
            unit = config.units[(number + order) % len(config.units)]
            member = {
                "title": f"{place}民政服务站" if kind == "selection" else f"第{order}期业务培训",
                "date": f"{start + dt.timedelta(days=order * 7):%Y-%m-%d} 10:00", "unit": unit.id,
                "author": _person(rng), "editor": _person(rng), "summary": f"{name}第{order}篇介绍。",
                "order": order,
            }
            text = "\n\n".join(_paragraph(rng, _GENERAL_SENTENCES, place) for _ in range(3))
            _write(content / f"campaigns/{ident}/{place_slug}-{order}.md", _front_matter(member) + text + "\n")
            members += 1
    return members


def _fixed_pages(content: Path, config: SiteConfig, rng: random.Random) -> None:
    office = config.unit_by_id.get("office") or config.units[0]

    def page(src: str, title: str, paragraphs: int, unit_id: str | None = None, **extra) -> None:
        values = {"title": title, "unit": unit_id or office.id, "author": _person(rng), "editor": _person(rng),
                  **extra}
        text = "\n\n".join(_paragraph(rng, _GENERAL_SENTENCES, "全县") for _ in range(paragraphs))
        _write(content / src, _front_matter(values) + text + "\n")

    page("index.md", "首页", 1)
    page("about/index.md", "机构概况", 3, summary="县民政局的主要职能和内设机构。")
    page("about/leadership-group.md", "意识形态工作领导小组", 2, summary="领导小组的组成和职责。")
    page("about/contact.md", "联系我们", 1, summary="联系地址和电话。")
    for topic in config.topics:
        page(f"topics/{topic.id}.md", topic.name, 3, summary=topic.description or topic.name)


def generate(root: Path, stories: int, *, seed: int = DEFAULT_SEED, end: dt.date = DEFAULT_END,
             notices_per_year: int | None = None) -> CorpusSummary:
    """Write a synthetic ``content/`` under ``root`` (replacing generated sections); deterministic."""
    root = Path(root)
    config = require_config(root)
    content = root / "content"
    for section in ("stories", "notices", "campaigns", "topics", "about"):
        shutil.rmtree(content / section, ignore_errors=True)
    rng = random.Random(seed)
    images_by_year: dict[int, list[str]] = {}
    image_count = 0
    for year in range(end.year - YEARS + 1, end.year + 1):
        names = []
        for index in range(IMAGES_PER_YEAR):
            name = f"shared-{index + 1}.jpg"
            path = content / "stories" / str(year) / "images" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_image_bytes(index + year))
            names.append(name)
            image_count += 1
        images_by_year[year] = names
    srcs = _stories(content, config, stories, end, random.Random(rng.random()), images_by_year)
    # Drop image folders of years without stories (tiny corpora), so every file is referenced.
    used_years = {int(src.split("/")[1]) for src in srcs}
    for year in images_by_year:
        if year not in used_years:
            shutil.rmtree(content / "stories" / str(year), ignore_errors=True)
            image_count -= IMAGES_PER_YEAR
    per_year = notices_per_year if notices_per_year is not None else max(1, min(12, stories // 400))
    notices = _notices(content, config, per_year, end, random.Random(rng.random()))
    members = _campaigns(content, config, end, random.Random(rng.random()))
    _fixed_pages(content, config, random.Random(rng.random()))
    return CorpusSummary(len(srcs), notices, members, image_count, tuple(srcs))


# -- the stock Material blog baseline -------------------------------------------------------------

_BASELINE_MKDOCS = """\
site_name: {name}
site_url: {url}
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
  features:
    - navigation.tabs
    - navigation.indexes
plugins:
  - search:
      lang: zh
  - blog:
      authors: false
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: false
  - admonition
"""


def _split(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {}, text
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head) or {}, body.lstrip("\n")


def blog_baseline(root: Path, dest: Path) -> int:
    """Convert the tree at ``root`` into a stock Material blog project at ``dest``; returns the post count.

    Stories become posts under ``docs/blog/posts/YYYY/`` with ``date`` and ``categories``
    (topic names); their images are copied alongside; every other page becomes a plain
    page with its title as heading.
    """
    root, dest = Path(root), Path(dest)
    config = require_config(root)
    topic_names = {t.id: t.name for t in config.topics}
    content, docs = root / "content", dest / "docs"
    shutil.rmtree(dest, ignore_errors=True)
    docs.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(_BASELINE_MKDOCS.format(
        name=config.site.name, url=config.site.url), encoding="utf-8")  # both required by require_config
    _write(docs / "index.md", f"# {config.site.name}\n")
    _write(docs / "blog/index.md", "# 民政故事\n")
    posts = 0
    for path in sorted(content.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(content).as_posix()
        if rel == "index.md" or rel.startswith("assets/"):
            continue
        if rel.startswith("stories/"):
            target = docs / "blog/posts" / rel[len("stories/"):]
            if path.suffix != ".md":
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                continue
            meta, body = _split(path.read_text(encoding="utf-8"))
            post = {"date": dt.date.fromisoformat(str(meta.get("date", ""))[:10])}
            categories = [topic_names[t] for t in meta.get("topics") or [] if t in topic_names]
            if categories:
                post["categories"] = categories
            _write(target, _front_matter(post) + f"# {meta.get('title', '')}\n\n{body}")
            posts += 1
        elif path.suffix == ".md":
            meta, body = _split(path.read_text(encoding="utf-8"))
            _write(docs / rel, f"# {meta.get('title', '')}\n\n{body}")
        else:
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return posts
