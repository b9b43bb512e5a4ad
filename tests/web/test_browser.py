"""The chat page in headless Debian Chromium: type a question, see the answer and its source, click a
suggestion, see a KPI chart load, user text shown as text, and nothing requested outside 127.0.0.1."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

DEADLINE = 60  # seconds: generous, for a loaded 2-core machine


def answers(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#log li.answer")


def wait_answers(driver, count: int) -> list:
    WebDriverWait(driver, DEADLINE).until(lambda d: len(answers(d)) >= count)
    return answers(driver)


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_ask_suggestion_and_chart(browser, shared_server) -> None:
    browser.get(shared_server.url + "/")
    assert browser.find_element(By.CSS_SELECTOR, "label[for='q']").text == "質問"
    box = browser.find_element(By.ID, "q")
    box.send_keys("観光消費額は？", Keys.ENTER)  # the keyboard alone submits

    first = wait_answers(browser, 1)[0]
    lead = first.find_element(By.CSS_SELECTOR, ".text").text
    assert "観光消費額" in lead and "735" not in lead  # the figures are in the card, once
    assert "735億円" in first.find_element(By.CSS_SELECTOR, ".card dl").text
    assert first.find_element(By.CSS_SELECTOR, ".source").text.startswith("出典：基本目標１")
    chart = first.find_element(By.CSS_SELECTOR, "img.chart")
    assert "/charts/kpi/tourism-spending.png" in chart.get_attribute("src")
    WebDriverWait(browser, DEADLINE).until(
        lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart) == 1040
    )
    assert chart.get_attribute("alt") == "観光消費額の推移のグラフ"

    suggestion = first.find_element(By.CSS_SELECTOR, ".suggestions button")
    asked = suggestion.text
    suggestion.click()
    second = wait_answers(browser, 2)[1]
    questions = browser.find_elements(By.CSS_SELECTOR, "#log li.question")
    assert questions[-1].text == asked
    assert second.find_element(By.CSS_SELECTOR, ".text").text
    assert second.find_element(By.CSS_SELECTOR, ".source").text.startswith("出典：")

    origin = urlsplit(shared_server.url)
    urls = requested_urls(browser)
    assert any(u.startswith(shared_server.url + "/api/ask") for u in urls)
    network = [u for u in urls if urlsplit(u).scheme in {"http", "https", "ws", "wss", "ftp"}]
    outside = [u for u in network if urlsplit(u).netloc != origin.netloc]
    assert outside == [] and origin.hostname == "127.0.0.1"


def test_user_and_answer_text_is_never_html(browser, shared_server) -> None:
    browser.get(shared_server.url + "/")
    typed = '<img src=x onerror="window.__pwned=1">とは？'
    browser.find_element(By.ID, "q").send_keys(typed, Keys.ENTER)
    wait_answers(browser, 1)
    question = browser.find_element(By.CSS_SELECTOR, "#log li.question p")
    assert question.text == typed
    assert browser.execute_script("return document.querySelectorAll('#log img:not(.chart)').length") == 0
    assert browser.execute_script("return window.__pwned === undefined")


def test_empty_question_is_explained_without_a_request(browser, shared_server) -> None:
    browser.get(shared_server.url + "/")
    browser.find_element(By.ID, "send").click()  # the browser's own "required" check or ours
    assert answers(browser) == []
    browser.execute_script("document.getElementById('q').removeAttribute('required')")
    browser.find_element(By.ID, "send").click()
    WebDriverWait(browser, DEADLINE).until(lambda d: d.find_element(By.ID, "status").text)
    assert browser.find_element(By.ID, "status").text == "質問を入力してください。"


def test_list_answer_shows_the_overview_chart(browser, shared_server) -> None:
    browser.get(shared_server.url + "/")
    browser.find_element(By.CSS_SELECTOR, ".examples button[data-q='KPI一覧']").click()
    answer = wait_answers(browser, 1)[0]
    chart = answer.find_element(By.CSS_SELECTOR, "img.chart")
    assert "/charts/overview.png" in chart.get_attribute("src")
    WebDriverWait(browser, DEADLINE).until(
        lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart) == 1040
    )
    cards = answer.find_elements(By.CSS_SELECTOR, ".card")
    assert len(cards) == 17
    ask = cards[9].find_element(By.CSS_SELECTOR, "button[data-q]")  # 待機児童数
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", ask)  # above the sticky form
    ask.click()
    second = wait_answers(browser, 2)[1]
    assert second.get_attribute("data-kind") == "kpi"
    assert "/charts/kpi/waiting-children.png" in second.find_element(
        By.CSS_SELECTOR, "img.chart"
    ).get_attribute("src")
