"""``site.yml``: the contact numbers published on purpose (``public_numbers``) and the bulletin's 报/送/发
block (``bulletin.distribution``): typed values, placeholders in the sample, a finding for each mistake."""

from __future__ import annotations

import pytest

from mzpress.model.config import load_config
from mzpress.model.site_settings import BulletinDistribution
from tests.support.project import MINIMAL_SITE_YML, REPO_ROOT, config_with_site_yml


def _load(tmp_path, extra: str):
    config, findings = config_with_site_yml(tmp_path, MINIMAL_SITE_YML + extra)
    return config.site, [f for f in findings if f.file == "site_config/site.yml"]


def test_the_sample_lists_placeholders():
    config, findings = load_config(REPO_ROOT)
    assert findings == []
    assert config.site.public_numbers == ("0000-0000000", "13900000000")
    assert config.site.bulletin.distribution.lines() == [
        "报：示例市民政局。", "送：示例县委办公室，示例县人民政府办公室。", "发：各乡镇（街道）民政办，局机关各股室。"]


def test_absent_sections_mean_nothing_listed(tmp_path):
    site, findings = _load(tmp_path, "")
    assert findings == [] and site.public_numbers == () and site.bulletin.distribution == BulletinDistribution()
    assert site.bulletin.distribution.lines() == []


def test_public_numbers_as_written(tmp_path):
    site, findings = _load(tmp_path, "public_numbers: [0797-1234567, 13900000000, '139 0000 0001', +86 139 0000 0002]\n")
    assert findings == []
    assert site.public_numbers == ("0797-1234567", "13900000000", "139 0000 0001", "+86 139 0000 0002")


@pytest.mark.parametrize(("value", "words"), [
    ("public_numbers: 13900000000", "应当是一个号码列表"),
    ("public_numbers: [值班电话]", "不是电话号码"),
    ("public_numbers: [360723199001011234]", "身份证号"),  # 18 digits: never a telephone number
    ("public_numbers: ['6222 0212 3456 7890']", "最多13位"),
])
def test_a_wrong_public_number_is_a_finding_at_its_line(tmp_path, value, words):
    site, findings = _load(tmp_path, value + "\n")
    (finding,) = findings
    assert finding.rule == "config.invalid" and finding.line == 10
    assert words in finding.message + finding.suggestion
    assert site.public_numbers == ()


def test_distribution_lists(tmp_path):
    site, findings = _load(tmp_path, "bulletin:\n  distribution:\n    报: [市民政局]\n    发: 各乡镇民政所\n")
    assert findings == []
    assert site.bulletin.distribution == BulletinDistribution(("市民政局",), (), ("各乡镇民政所",))
    assert site.bulletin.distribution.lines() == ["报：市民政局。", "发：各乡镇民政所。"]


@pytest.mark.parametrize(("section", "words", "line"), [
    ("  distribution: 市民政局\n", "应当写成“报”“送”“发”三项", 11),
    ("  distribution:\n    抄送: [市民政局]\n", "不认识的字段“抄送”", 12),
    ("  distribution:\n    报: {a: b}\n", "应当是单位名称的列表", 12),
    ("  distribution:\n    送: [<b>县委</b>]\n", "distribution.送", 12),
])
def test_a_wrong_distribution_is_a_finding_at_its_line(tmp_path, section, words, line):
    _, findings = _load(tmp_path, "bulletin:\n" + section)
    assert findings and findings[0].line == line and words in findings[0].message + findings[0].suggestion
