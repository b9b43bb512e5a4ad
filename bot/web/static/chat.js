// The chat page: sends a question to /api/ask and shows the answer. Every text from the server or
// the user is put in with textContent, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  var input = document.getElementById("q");
  var send = document.getElementById("send");
  var log = document.getElementById("log");
  var statusLine = document.getElementById("status");
  var KEY = "strategy-bot-session";

  function sessionId() {
    var id = null;
    try { id = window.sessionStorage.getItem(KEY); } catch (e) { id = null; }
    if (!id) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try { window.sessionStorage.setItem(KEY, id); } catch (e) { /* private mode: one id per page */ }
    }
    return id;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function suggestionButtons(list) {
    var box = el("div", "suggestions");
    list.forEach(function (q) {
      var b = el("button", null, q);
      b.type = "button";
      b.setAttribute("data-q", q);
      box.appendChild(b);
    });
    return box;
  }

  function chartImage(url, alt) {
    var img = el("img", "chart");
    img.src = url;
    img.alt = alt;
    img.width = 1040;
    img.height = 520;
    img.loading = "lazy";
    return img;
  }

  function kpiCard(k, withChart) {
    var card = el("article", "card");
    var h = el("h3", null, k.label + " ");
    h.appendChild(el("span", "badge s-" + k.status, k.status));
    card.appendChild(h);
    var dl = el("dl");
    var rows = [["基準値", k.baseline_text], ["目標値", k.target_text], ["最新の実績", k.latest_text || "まだありません"]];
    if (k.progress_text) { rows.push(["目標までの進み具合", k.progress_text]); }
    rows.forEach(function (row) { dl.appendChild(el("dt", null, row[0])); dl.appendChild(el("dd", null, row[1])); });
    card.appendChild(dl);
    if (withChart) {
      card.appendChild(chartImage(k.chart_url, k.label + "の推移のグラフ"));
    } else {  // in a list: ask about this KPI, as tapping it does on LINE
      card.appendChild(suggestionButtons([k.label + "の目標は？"]));
    }
    return card;
  }

  function showQuestion(text) {
    var li = el("li", "question");
    li.appendChild(el("p", null, text));
    log.appendChild(li);
  }

  // A KPI answer's text without the figures its card shows: the first line (name, place, unit) and
  // any first-term series; the same as the LINE channel puts above its bubble.
  function leadOf(reply) {
    if (reply.kind !== "kpi" || !reply.kpis || reply.kpis.length !== 1) { return reply.text; }
    var lines = reply.text.split("\n");
    return [lines[0]].concat(lines.slice(1).filter(function (x) { return x.indexOf("・第1期") === 0; })).join("\n");
  }

  function showAnswer(reply) {
    var li = el("li", "answer");
    li.setAttribute("data-kind", reply.kind);
    li.appendChild(el("p", "text", leadOf(reply)));
    var kpis = reply.kpis || [];
    if (reply.chart_url) { li.appendChild(chartImage(reply.chart_url, "数値目標・KPIの進み具合のグラフ")); }
    if (kpis.length) {
      var cards = el("div", "cards");
      kpis.forEach(function (k) { cards.appendChild(kpiCard(k, kpis.length <= 3)); });
      li.appendChild(cards);
    }
    if (reply.source) { li.appendChild(el("p", "source", "出典：" + reply.source)); }
    if (reply.suggestions && reply.suggestions.length) { li.appendChild(suggestionButtons(reply.suggestions)); }
    log.appendChild(li);
    li.scrollIntoView({ block: "start" });
  }

  function setBusy(busy, message, isError) {
    send.disabled = busy;
    statusLine.textContent = message || "";
    statusLine.className = isError ? "status error" : "status";
  }

  function ask(text) {
    showQuestion(text);
    setBusy(true, "答えを探しています…");
    fetch("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ text: text, session: sessionId() })
    }).then(function (res) {
      return res.json().then(function (body) { return { ok: res.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) { setBusy(false, r.body.message || "エラーが起きました。", true); return; }
      setBusy(false, "");
      showAnswer(r.body);
    }).catch(function () {
      setBusy(false, "通信できませんでした。しばらくしてからもう一度お試しください。", true);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { setBusy(false, "質問を入力してください。", true); input.focus(); return; }
    input.value = "";
    ask(text);
    input.focus();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-q]") : null;
    if (button && !send.disabled) { ask(button.getAttribute("data-q")); }
  });
})();
