/// The playground page: one HTML document with its CSS and JavaScript (no build step, no npm),
/// Telegram-like chat panes fed by `/playground/events` and acting through the POST routes.
enum PlaygroundPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gongbu playground</title>
<style>
  :root { --bg:#dfe7ee; --pane:#ffffff; --in:#ffffff; --out:#e3fbd0; --accent:#2a89d8; --muted:#7d8a96; }
  * { box-sizing: border-box; }
  html, body { height:100%; }
  body { display:flex; flex-direction:column; margin:0; font:15px/1.35 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; background:#c9d6e2; color:#1b1f23; }
  header { display:flex; gap:16px; align-items:center; padding:8px 16px; background:#2a5b84; color:#fff; flex-wrap:wrap; }
  header h1 { font-size:17px; margin:0; }
  header a, header button { color:#fff; background:rgba(255,255,255,.15); border:0; border-radius:6px; padding:4px 10px; text-decoration:none; font:inherit; cursor:pointer; }
  header .note { font-size:13px; opacity:.85; }
  main { flex:1; min-height:0; display:flex; gap:12px; padding:12px; }
  .pane { flex:1; min-height:0; min-width:300px; max-width:560px; display:flex; flex-direction:column; background:var(--bg); border-radius:10px; overflow:hidden; box-shadow:0 1px 4px rgba(0,0,0,.2); position:relative; }
  .pane.hidden { display:none; }
  .pane-head { background:var(--pane); padding:8px 12px; border-bottom:1px solid #ccd; display:flex; align-items:center; gap:8px; }
  .pane-head .who { flex:1; }
  .pane-head .bot { font-weight:600; }
  .pane-head .sub { font-size:12px; color:var(--muted); }
  .pane-head select, .pane-head button, .pane-head a { font:inherit; font-size:13px; }
  .pane-head a { color:var(--accent); }
  .messages { flex:1; overflow-y:auto; padding:10px; display:flex; flex-direction:column; gap:6px; }
  .msg { max-width:85%; padding:6px 10px 4px; border-radius:10px; background:var(--in); align-self:flex-start; box-shadow:0 1px 1px rgba(0,0,0,.12); word-wrap:break-word; }
  .msg.out { background:var(--out); align-self:flex-end; }
  .msg .body { white-space:pre-wrap; }
  .msg .meta { font-size:11px; color:var(--muted); text-align:right; }
  .msg img, .msg video { max-width:100%; border-radius:6px; display:block; margin-bottom:4px; }
  .msg audio { width:100%; margin-bottom:4px; }
  .msg pre { background:#f1f3f5; padding:6px; border-radius:6px; overflow-x:auto; white-space:pre; margin:4px 0; }
  .msg code { background:#f1f3f5; border-radius:4px; padding:0 3px; font-family:ui-monospace, Menlo, monospace; font-size:13px; }
  .msg pre code { background:none; padding:0; }
  .msg blockquote { border-left:3px solid var(--accent); margin:4px 0; padding-left:8px; }
  .msg .spoiler { background:#999; color:transparent; border-radius:3px; cursor:pointer; }
  .msg .spoiler.open { background:none; color:inherit; }
  .msg .cmd { color:var(--accent); cursor:pointer; }
  .doc { display:flex; gap:8px; align-items:center; margin-bottom:4px; }
  .doc a { color:var(--accent); }
  .invoice { border-left:3px solid #f5b400; padding-left:8px; margin-bottom:4px; }
  .invoice .title { font-weight:600; }
  .invoice .price { font-weight:600; margin-top:4px; }
  .poll .q { font-weight:600; margin-bottom:4px; }
  .poll button { display:block; width:100%; text-align:left; margin:3px 0; padding:5px 8px; border:1px solid #b8c7d6; background:#f7fafc; border-radius:6px; cursor:pointer; font:inherit; }
  .poll .explain { font-size:13px; color:var(--muted); }
  .ikb-row { display:flex; gap:4px; margin-top:4px; max-width:85%; align-self:flex-start; width:85%; }
  .ikb { flex:1; padding:6px 4px; border:0; border-radius:8px; background:rgba(42,137,216,.85); color:#fff; font:inherit; font-size:14px; cursor:pointer; }
  .ikb.pay { background:#2aa84a; }
  .ikb:active { filter:brightness(.9); }
  .keyboard { background:#eef2f5; padding:4px; display:flex; flex-direction:column; gap:4px; }
  .keyboard.empty { display:none; }
  .keyboard .row { display:flex; gap:4px; }
  .keyboard button { flex:1; padding:8px; border:0; border-radius:6px; background:#fff; font:inherit; cursor:pointer; box-shadow:0 1px 1px rgba(0,0,0,.15); }
  .composer { display:flex; gap:6px; padding:8px; background:var(--pane); border-top:1px solid #ccd; align-items:center; }
  .composer input[type=text] { flex:1; padding:8px; border:1px solid #c4ccd4; border-radius:18px; font:inherit; }
  .composer button { border:0; background:var(--accent); color:#fff; border-radius:18px; padding:8px 14px; font:inherit; cursor:pointer; }
  .composer label { cursor:pointer; font-size:20px; }
  .composer input[type=file] { display:none; }
  .startbar { padding:8px; background:var(--pane); border-top:1px solid #ccd; }
  .startbar button { width:100%; padding:10px; border:0; background:var(--accent); color:#fff; font:inherit; font-weight:600; letter-spacing:.05em; border-radius:8px; cursor:pointer; }
  .toast { position:absolute; left:50%; top:64px; transform:translateX(-50%); background:rgba(30,30,30,.85); color:#fff; padding:8px 14px; border-radius:8px; max-width:80%; z-index:5; }
  .alert { position:absolute; inset:0; background:rgba(0,0,0,.35); display:flex; align-items:center; justify-content:center; z-index:6; }
  .alert div { background:#fff; padding:16px; border-radius:10px; max-width:80%; white-space:pre-wrap; }
  .alert button { margin-top:10px; float:right; border:0; background:var(--accent); color:#fff; border-radius:6px; padding:4px 12px; cursor:pointer; }
  .hint { color:var(--muted); text-align:center; font-size:13px; margin:auto 0; }
</style>
</head>
<body>
<header>
  <h1>Gongbu playground</h1>
  <span class="note">Everything here runs on this machine: the bots talk to a built-in Bot API emulator, nothing goes to Telegram.</span>
  <a href="/healthz" target="_blank">/healthz</a>
  <a href="/metrics" target="_blank">/metrics</a>
  <a id="app-link" href="/app" target="_blank">/app (creator)</a>
  <button id="toggle-third" type="button">Second student</button>
</header>
<main>
  <section class="pane" id="pane-student" data-role="student"></section>
  <section class="pane" id="pane-creator" data-role="creator"></section>
  <section class="pane hidden" id="pane-third" data-role="student"></section>
</main>
<script>
"use strict";
let state = { chats: [], app_url: null };

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({ ok: false, error: "bad answer" }));
  return answer;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// Telegram entities (UTF-16 offsets, as JavaScript strings count) to HTML.
function renderEntities(text, entities) {
  const sorted = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
  let out = "", stack = [], next = 0;
  const open = e => {
    const part = text.substr(e.offset, e.length);
    switch (e.type) {
      case "bold": return "<b>"; case "italic": return "<i>"; case "underline": return "<u>";
      case "strikethrough": return "<s>"; case "spoiler": return '<span class="spoiler" onclick="this.classList.add(\'open\')">';
      case "code": return "<code>";
      case "pre": return "<pre><code" + (e.language ? ' data-lang="' + escapeHTML(e.language) + '"' : "") + ">";
      case "text_link": return '<a target="_blank" rel="noopener" href="' + escapeHTML(e.url || "#") + '">';
      case "url": return '<a target="_blank" rel="noopener" href="' + escapeHTML(/^https?:/i.test(part) ? part : "https://" + part) + '">';
      case "email": return '<a href="mailto:' + escapeHTML(part) + '">';
      case "bot_command": return '<span class="cmd" data-command="' + escapeHTML(part) + '">';
      case "blockquote": case "expandable_blockquote": return "<blockquote>";
      case "text_mention": case "mention": return "<b>";
      default: return "<span>";
    }
  };
  const close = e => ({ bold: "</b>", italic: "</i>", underline: "</u>", strikethrough: "</s>", code: "</code>", pre: "</code></pre>",
    text_link: "</a>", url: "</a>", email: "</a>", blockquote: "</blockquote>", expandable_blockquote: "</blockquote>",
    text_mention: "</b>", mention: "</b>" }[e.type] || "</span>");
  for (let i = 0; i <= text.length; i++) {
    while (stack.length && stack[stack.length - 1].offset + stack[stack.length - 1].length <= i) out += close(stack.pop());
    if (i === text.length) break;
    while (next < sorted.length && sorted[next].offset === i) { const e = sorted[next++]; out += open(e); stack.push(e); }
    out += escapeHTML(text[i]);
  }
  while (stack.length) out += close(stack.pop());
  return out;
}

class ChatPane {
  constructor(root) {
    this.root = root;
    this.role = root.dataset.role;
    this.chat = null;
    this.nodes = new Map();
    this.source = null;
    this.build();
  }

  build() {
    this.select = el("select", { onchange: () => this.open(this.select.value) });
    this.appLink = el("a", { target: "_blank", class: "app" }, "Open /app as the creator");
    const head = el("div", { class: "pane-head" },
      el("div", { class: "who" }, this.botLine = el("div", { class: "bot" }), this.userLine = el("div", { class: "sub" })));
    if (this.role === "student") {
      head.append(this.select, el("button", { type: "button", onclick: () => this.addStudent() }, "+ student"));
    } else {
      head.append(this.appLink);
    }
    this.list = el("div", { class: "messages" });
    this.keyboard = el("div", { class: "keyboard empty" });
    this.startBar = el("div", { class: "startbar" }, el("button", { type: "button", class: "start", onclick: () => this.sendText("/start") }, "START"));
    this.input = el("input", { type: "text", placeholder: "Message", onkeydown: e => { if (e.key === "Enter") this.submit(); } });
    this.file = el("input", { type: "file", onchange: () => this.upload() });
    this.composer = el("div", { class: "composer" },
      el("label", { title: "Send a photo or a file" }, "📎", this.file), this.input,
      el("button", { type: "button", class: "send", onclick: () => this.submit() }, "Send"));
    this.root.append(head, this.list, this.keyboard, this.startBar, this.composer);
  }

  refreshHead() {
    const chat = state.chats.find(c => c.chat === this.chat);
    if (!chat) return;
    this.botLine.textContent = chat.bot_name + " · @" + chat.bot_username;
    this.userLine.textContent = (chat.role === "creator" ? "You are the creator " : "You are the student ") + chat.first_name + " (id " + chat.user_id + ")";
    if (this.role === "student") {
      this.select.replaceChildren(...state.chats.filter(c => c.role === "student").map(c =>
        el("option", { value: c.chat }, c.first_name + " (" + c.user_id + ")")));
      this.select.value = this.chat;
    } else if (state.app_url) {
      this.appLink.href = state.app_url;
    }
  }

  open(key) {
    if (this.source) this.source.close();
    this.chat = key;
    this.nodes.clear();
    this.list.replaceChildren(el("div", { class: "hint" }, this.role === "creator"
      ? "The manager bot: submissions to review arrive here."
      : "Press START to talk to the course bot."));
    this.showKeyboard(null);
    this.refreshHead();
    this.updateStartBar();
    this.source = new EventSource("/playground/events?chat=" + encodeURIComponent(key));
    // After a reconnect the whole chat comes again: start from a clean list.
    this.source.addEventListener("open", () => {
      if (this.nodes.size === 0) return;
      this.nodes.forEach(node => node.remove());
      this.nodes.clear();
    });
    this.source.addEventListener("message", e => this.showMessage(JSON.parse(e.data)));
    this.source.addEventListener("delete", e => { const id = JSON.parse(e.data).message_id; this.nodes.get(id)?.remove(); this.nodes.delete(id); this.updateStartBar(); });
    this.source.addEventListener("keyboard", e => this.showKeyboard(JSON.parse(e.data).rows));
    this.source.addEventListener("popup", e => this.popup(JSON.parse(e.data)));
    this.source.addEventListener("ready", () => this.root.dataset.ready = "1");
  }

  updateStartBar() {
    const empty = this.nodes.size === 0;
    this.startBar.style.display = empty ? "" : "none";
    this.composer.style.display = empty ? "none" : "";
  }

  showMessage(m) {
    const node = this.render(m);
    const old = this.nodes.get(m.message_id);
    if (old) old.replaceWith(node);
    else {
      this.list.querySelector(".hint")?.remove();
      const later = [...this.nodes.entries()].filter(([id]) => id > m.message_id).sort((a, b) => a[0] - b[0])[0];
      if (later) this.list.insertBefore(node, later[1]); else this.list.append(node);
    }
    this.nodes.set(m.message_id, node);
    this.updateStartBar();
    this.list.scrollTop = this.list.scrollHeight;
  }

  // Keeps the newest message in view while images load, unless the reader scrolled up.
  stickToBottom() {
    const list = this.list;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < list.clientHeight) list.scrollTop = list.scrollHeight;
  }

  render(m) {
    const msg = m.message;
    const wrap = el("div", { class: "entry", "data-message-id": m.message_id });
    const bubble = el("div", { class: "msg" + (m.from_bot ? "" : " out") });
    wrap.append(bubble);
    if (m.file && (m.media === "photo" || msg.sticker)) bubble.append(el("img", { src: m.file.url, alt: "photo", onload: () => this.stickToBottom() }));
    else if (m.file && m.media === "video") bubble.append(el("video", { src: m.file.url, controls: "" }));
    else if (m.file && (m.media === "audio" || m.media === "voice")) bubble.append(el("audio", { src: m.file.url, controls: "" }));
    else if (m.file) bubble.append(el("div", { class: "doc" }, "📄 ", el("a", { href: m.file.url, target: "_blank", download: m.file.name || "file" }, m.file.name || "file")));
    if (msg.invoice) {
      const inv = msg.invoice;
      bubble.append(el("div", { class: "invoice" }, el("div", { class: "title" }, inv.title), el("div", {}, inv.description),
        el("div", { class: "price" }, inv.currency === "XTR" ? "⭐ " + inv.total_amount : inv.total_amount + " " + inv.currency)));
    }
    if (msg.poll) bubble.append(this.renderPoll(msg.poll));
    if (msg.successful_payment) {
      const p = msg.successful_payment;
      bubble.append(el("div", { class: "body" }, "✅ You paid " + (p.currency === "XTR" ? p.total_amount + " ⭐" : p.total_amount + " " + p.currency)));
    }
    if (msg.refunded_payment) bubble.append(el("div", { class: "body" }, "↩️ Refunded " + msg.refunded_payment.total_amount + " ⭐"));
    if (msg.managed_bot_created) bubble.append(el("div", { class: "body" }, "🤖 You created @" + msg.managed_bot_created.bot.username));
    const text = msg.text ?? msg.caption;
    if (text) {
      const body = el("div", { class: "body" });
      body.innerHTML = renderEntities(text, msg.text != null ? msg.entities : msg.caption_entities);
      body.querySelectorAll(".cmd").forEach(c => c.addEventListener("click", () => this.sendText(c.dataset.command)));
      bubble.append(body);
    }
    const time = new Date((msg.edit_date || msg.date || 0) * 1000);
    bubble.append(el("div", { class: "meta" }, (m.edited ? "edited " : "") + time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
    let rows = m.buttons || [];
    if (msg.invoice && !rows.some(r => r.some(b => b.pay))) rows = [[{ text: "Pay ⭐ " + msg.invoice.total_amount, pay: true }], ...rows];
    for (const row of rows) {
      wrap.append(el("div", { class: "ikb-row" }, ...row.map(b => el("button", {
        type: "button", class: "ikb" + (b.pay ? " pay" : ""), onclick: () => this.pressInline(m, b),
      }, b.text))));
    }
    return wrap;
  }

  renderPoll(poll) {
    const box = el("div", { class: "poll" }, el("div", { class: "q" }, "📊 " + poll.question));
    const chosen = new Set();
    const buttons = [];
    // A vote is final, as in Telegram: the options lock once it is sent.
    const vote = options => {
      buttons.forEach((b, i) => { b.disabled = true; if (options.includes(i)) b.textContent = "✓ " + b.textContent.replace(/^☑ /, ""); });
      this.act("/playground/poll", { options });
    };
    poll.options.forEach((option, index) => {
      const label = option.text + (option.voter_count ? "  · " + option.voter_count : "");
      const button = el("button", { type: "button", class: "option", disabled: poll.is_closed ? "" : null, onclick: e => {
        if (poll.allows_multiple_answers) { chosen.has(index) ? chosen.delete(index) : chosen.add(index); e.target.textContent = (chosen.has(index) ? "☑ " : "") + label; }
        else vote([index]);
      } }, label);
      buttons.push(button);
      box.append(button);
    });
    if (poll.allows_multiple_answers) box.append(el("button", { type: "button", onclick: () => vote([...chosen]) }, "Vote"));
    if (poll.is_closed && poll.explanation) box.append(el("div", { class: "explain" }, poll.explanation));
    return box;
  }

  showKeyboard(rows) {
    this.keyboard.replaceChildren();
    this.keyboard.classList.toggle("empty", !rows || rows.length === 0);
    for (const row of rows || []) {
      this.keyboard.append(el("div", { class: "row" }, ...row.map(b =>
        el("button", { type: "button", onclick: () => this.act("/playground/reply", { text: b.text }) }, b.text))));
    }
  }

  popup(p) {
    if (p.show_alert) {
      const box = el("div", { class: "alert" }, el("div", {}, p.text, el("br"), el("button", { type: "button", onclick: () => box.remove() }, "OK")));
      this.root.append(box);
    } else {
      const toast = el("div", { class: "toast" }, p.text);
      this.root.append(toast);
      setTimeout(() => toast.remove(), 2500);
    }
  }

  async act(path, body) {
    const answer = await post(path, Object.assign({ chat: this.chat }, body));
    if (!answer.ok) this.popup({ text: "⚠️ " + (answer.error || "failed"), show_alert: false });
    return answer;
  }

  pressInline(m, button) {
    if (button.pay) {
      this.act("/playground/pay", { message_id: m.message_id }).then(a => {
        if (a.ok && a.outcome !== "paid") this.popup({ text: a.outcome === "refused" ? "Payment refused: " + (a.error || "") : "The bot did not confirm the payment", show_alert: true });
      });
    } else if (button.callback_data) {
      this.act("/playground/press", { message_id: m.message_id, callback_data: button.callback_data });
    } else if (button.url) {
      window.open(button.url, "_blank", "noopener");
    }
  }

  sendText(text) { return this.act("/playground/send", { text }); }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.sendText(text);
  }

  upload() {
    const file = this.file.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const data = String(reader.result).split(",")[1] || "";
      const kind = /^image\/(jpeg|png|gif|webp)$/.test(file.type) ? "photo" : "document";
      const caption = this.input.value.trim();
      this.input.value = "";
      this.act("/playground/upload", { kind, data, file_name: file.name, mime_type: file.type || "application/octet-stream", caption });
    };
    reader.readAsDataURL(file);
    this.file.value = "";
  }

  async addStudent() {
    const answer = await post("/playground/students", {});
    if (!answer.ok) return;
    await loadState();
    this.open(answer.chat);
    panes.forEach(p => p.refreshHead());
  }
}

async function loadState() {
  state = await (await fetch("/playground/state")).json();
  if (state.app_url) document.getElementById("app-link").href = state.app_url;
}

const panes = [];
(async () => {
  await loadState();
  const student = new ChatPane(document.getElementById("pane-student"));
  const creator = new ChatPane(document.getElementById("pane-creator"));
  const third = new ChatPane(document.getElementById("pane-third"));
  panes.push(student, creator, third);
  student.open(state.chats.find(c => c.role === "student").chat);
  creator.open("creator");
  document.getElementById("toggle-third").addEventListener("click", async () => {
    const pane = document.getElementById("pane-third");
    if (pane.classList.toggle("hidden")) return;
    if (!third.chat) {
      let others = state.chats.filter(c => c.role === "student" && c.chat !== student.chat);
      if (others.length === 0) { await post("/playground/students", {}); await loadState(); others = state.chats.filter(c => c.role === "student" && c.chat !== student.chat); }
      third.open(others[0].chat);
      panes.forEach(p => p.refreshHead());
    }
  });
  // A fresh sign-in for /app now and then (Telegram's init data is valid for a day).
  setInterval(async () => { await loadState(); creator.refreshHead(); }, 30 * 60 * 1000);
})();
</script>
</body>
</html>
"""#
}
