"""连读 on list pages and the voice messages: every list entry's title is read (with its meta line, then its
summary on its own), the parts of a meta line are separated, and a missing Chinese voice is not reported as
a passing fault."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, STORY, TOPIC, open_page
from tests.browser.test_reader_toolbar import SPEECH, ZH_VOICE, open_panel, spoken, status

CAMPAIGN = "campaigns/zuimei-minzhengren/"
# The engine answers each utterance with an error event (ERROR: the error's name), as Chromium does without a voice.
REFUSE = """(() => { const speak = speechSynthesis.speak;
    speechSynthesis.speak = u => { speak(u); setTimeout(() => u.dispatchEvent(
        new SpeechSynthesisErrorEvent('error', {error: 'ERROR', utterance: u})), 10); }; })();"""
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}")


def read_all(page) -> list[str]:
    open_panel(page).get_by_role("button", name="连读").click()
    for _ in range(500):
        if not page.evaluate("__finish()"):
            break
    expect(status(page)).to_have_text("朗读完毕。")
    return spoken(page)


@pytest.mark.parametrize("path", [HOME, TOPIC, CAMPAIGN])
def test_continuous_reading_reads_every_list_entry(page, server, path):
    page.add_init_script(SPEECH % ZH_VOICE)
    open_page(page, server, path)
    entries = page.evaluate("""() => [...document.querySelectorAll('article li.mz-item, article li.mz-card')].map(li => ({
        card: li.matches('.mz-card'), title: li.querySelector('.mz-item-title, .mz-card-title').innerText.trim(),
        meta: [...li.querySelectorAll('.mz-item-meta > *')].map(e => e.innerText.trim()).filter(Boolean),
        summary: (li.querySelector('.mz-item-summary') || {}).innerText || null}))""")
    with_summary = [e for e in entries if e["summary"]]
    assert entries and (path == HOME or with_summary), entries  # the bug was in entries holding a paragraph
    texts = read_all(page)
    for entry in entries:
        # The title, then each part of the meta line after a comma: “标题，2026年…，县民政局”.
        said = "，".join([entry["title"], *entry["meta"]])
        assert said in texts, (said, texts)
        if entry["summary"]:
            assert texts.index(entry["summary"].strip()) == texts.index(said) + 1
    if path == HOME:
        cards = [e for e in entries if e["card"] and len(e["meta"]) >= 2]
        assert cards, entries
        for card in cards:
            assert DATE.fullmatch(card["meta"][0]), card
            assert f"{card['meta'][0]}，{card['meta'][1]}" in "".join(texts)


@pytest.mark.parametrize("error", ["language-unavailable", "voice-unavailable", "synthesis-failed"])
def test_no_chinese_voice_message_stays_when_the_engine_refuses(page, server, error):
    english = "[{lang: 'en-US', name: 'English', voiceURI: 'en', localService: true, default: true}]"
    page.add_init_script(SPEECH % english)
    # The engine answers the zh-CN utterance with an error, as Chromium does without a Chinese voice.
    page.add_init_script(REFUSE.replace("ERROR", error))
    open_page(page, server, STORY)
    open_panel(page).get_by_role("button", name="连读").click()
    page.wait_for_timeout(200)
    expect(status(page)).to_contain_text("本设备未安装中文语音")
    expect(page.locator("[data-mz-read='stop']")).to_be_disabled()  # the reading stopped
    assert len(spoken(page)) == 1


def test_a_real_fault_with_a_chinese_voice_is_still_reported(page, server):
    page.add_init_script(SPEECH % ZH_VOICE)
    page.add_init_script(REFUSE.replace("ERROR", "synthesis-failed"))
    open_page(page, server, STORY)
    open_panel(page).get_by_role("button", name="连读").click()
    expect(status(page)).to_have_text("朗读出错，已停止。请稍后再试。")
