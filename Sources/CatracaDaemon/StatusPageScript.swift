extension StatusPageAssets {
    /// The page's script. It reads the API with the session cookie, listens to `/v1/events` for changes
    /// (no polling; the full status is read again only after an outbox change and once a minute), and renders
    /// with `textContent` only, so nothing a terminal sends can become markup.
    static let script = #"""
    "use strict";
    const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
    const state = { status: null, terminals: [], passages: [], drifts: {}, today: null, recordsToday: {},
                    detailRecords: null };

    function el(tag, attributes, ...children) {
      const node = document.createElement(tag);
      for (const [key, value] of Object.entries(attributes || {})) {
        if (value === undefined || value === null) continue;
        if (key === "class") node.className = value;
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value);
      }
      for (const child of children.flat()) {
        if (child === undefined || child === null) continue;
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
      return node;
    }

    async function api(path, options) {
      const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options || {}));
      if (response.status === 401) { location.reload(); throw new Error("logged out"); }
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error((body && body.error && body.error.message) || ("HTTP " + response.status));
      return body;
    }

    // The page's actions: open door 1 (the terminal's own door), set the clock to this box's time, reboot.
    const commandParameters = { opendoor: { doornum: 1 }, settime: {}, reboot: {} };

    function command(sn, name) {
      return api("/v1/terminals/" + encodeURIComponent(sn) + "/commands/" + name, {
        method: "POST", body: JSON.stringify(commandParameters[name] || {}),
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
      });
    }

    function ago(text) {
      if (!text) return "—";
      const then = Date.parse(text);
      if (isNaN(then)) return text;
      const seconds = Math.max(0, Math.round((Date.now() - then) / 1000));
      if (seconds < 90) return seconds + " s ago";
      if (seconds < 5400) return Math.round(seconds / 60) + " min ago";
      if (seconds < 172800) return Math.round(seconds / 3600) + " h ago";
      return Math.round(seconds / 86400) + " days ago";
    }

    function drift(sn) {
      const seconds = state.drifts[sn];
      if (seconds === undefined || seconds === null) return "—";
      const size = Math.abs(Math.round(seconds));
      const amount = size < 120 ? size + " s" : size < 7200 ? Math.round(size / 60) + " min"
        : size < 172800 ? Math.round(size / 3600) + " h" : Math.round(size / 86400) + " days";
      const text = (seconds > 0 ? "+" : seconds < 0 ? "−" : "") + amount;
      return size >= 60 ? el("span", { class: "bad", title: Math.round(seconds) + " s" }, text) : text;
    }

    function firmware(terminal) {
      return (terminal.devinfo && (terminal.devinfo.firmware || terminal.devinfo.fpalgo)) || "—";
    }

    // Overview

    function renderTerminals() {
      const rows = state.terminals.map(terminal => el("tr", {
          class: "terminal", "data-sn": terminal.sn, "data-online": String(terminal.connected) },
        el("td", {}, el("a", { href: "#terminal/" + encodeURIComponent(terminal.sn) }, terminal.sn)),
        el("td", {}, el("span", { class: "state " + (terminal.connected ? "online" : "offline") },
                        terminal.connected ? "online" : "offline")),
        el("td", {}, terminal.connected ? "now" : ago(terminal.last_seen)),
        el("td", {}, firmware(terminal)),
        el("td", {}, drift(terminal.sn)),
        el("td", { class: "records-today" }, state.recordsToday[terminal.sn] ?? "…")));
      const table = rows.length === 0 ? el("p", { class: "muted" }, "No terminal has registered yet.")
        : el("table", {}, el("thead", {}, el("tr", {}, ["Terminal", "State", "Last seen", "Firmware",
                                                       "Clock drift", "Records today"].map(h => el("th", {}, h)))),
             el("tbody", {}, rows));
      document.getElementById("terminals").replaceChildren(table);
    }

    function passageItem(passage, fresh) {
      const who = passage.enrollid !== null ? "person " + passage.enrollid : (passage.grant_kind || "nobody");
      return el("li", { class: "passage outcome-" + passage.outcome + (fresh ? " fresh" : ""),
                        "data-outcome": passage.outcome, "data-turnstile": passage.turnstile },
        el("span", { class: "muted" }, new Date(passage.closed_at).toLocaleTimeString()),
        el("span", {}, passage.turnstile),
        el("span", { class: "outcome" }, passage.outcome.replace(/_/g, " ")),
        el("span", {}, who + (passage.sn ? " at " + passage.sn : "")),
        passage.side ? el("span", { class: "muted" }, passage.side) : null);
    }

    function renderPassages(freshCount) {
      const list = document.getElementById("passages");
      if (state.passages.length === 0) {
        list.replaceChildren(el("li", { class: "muted" }, "No passage since the daemon started."));
        return;
      }
      list.replaceChildren(...state.passages.map((passage, index) => passageItem(passage, index < (freshCount || 0))));
    }

    function generic(value) {
      if (Array.isArray(value)) {
        if (value.length === 0) return el("p", { class: "muted" }, "none");
        if (typeof value[0] !== "object" || value[0] === null) return el("p", {}, value.join(", "));
        const keys = [...new Set(value.flatMap(item => Object.keys(item)))];
        return el("table", {}, el("thead", {}, el("tr", {}, keys.map(key => el("th", {}, key.replace(/_/g, " "))))),
          el("tbody", {}, value.map(item => el("tr", {}, keys.map(key => el("td", {}, scalar(item[key])))))));
      }
      if (value && typeof value === "object") {
        return el("dl", {}, Object.entries(value).flatMap(([key, item]) =>
          [el("dt", {}, key.replace(/_/g, " ")), el("dd", {}, typeof item === "object" && item !== null
            ? generic(item) : scalar(item))]));
      }
      return el("p", {}, scalar(value));
    }

    function scalar(value) {
      if (value === null || value === undefined) return "—";
      if (typeof value === "boolean") return value ? "yes" : "no";
      if (typeof value === "object") return JSON.stringify(value);
      return String(value);
    }

    function section(id, value) {
      const card = document.getElementById(id + "-card");
      if (value === undefined || value === null) { card.hidden = true; return; }
      card.hidden = false;
      document.getElementById(id).replaceChildren(generic(value));
    }

    function renderOutbox(outbox) {
      const card = document.getElementById("outbox-card");
      if (!outbox) { card.hidden = true; return; }
      card.hidden = false;
      const summary = el("dl", {},
        el("dt", {}, "Backlog"), el("dd", { id: "outbox-backlog", class: outbox.alarm ? "bad" : "" },
          String(outbox.backlog) + (outbox.alarm ? " (alarm)" : "")),
        el("dt", {}, "Oldest waiting"), el("dd", {}, outbox.oldest_undelivered_age_seconds === null ? "—"
          : outbox.oldest_undelivered_age_seconds + " s"));
      const transports = outbox.transports.length === 0 ? el("p", { class: "muted" }, "No upstream configured.")
        : generic(outbox.transports);
      document.getElementById("outbox").replaceChildren(summary, transports);
    }

    function renderStatus() {
      const status = state.status;
      if (!status) return;
      renderOutbox(status.outbox);
      section("turnstiles", status.turnstiles);
      section("plugins", status.plugins);
      const daemon = status.daemon || {};
      const store = status.store || {};
      document.getElementById("daemon").replaceChildren(el("dl", {},
        el("dt", {}, "Version"), el("dd", {}, daemon.version),
        el("dt", {}, "Up"), el("dd", {}, Math.round((daemon.uptime_seconds || 0) / 60) + " min"),
        el("dt", {}, "Records"), el("dd", {}, scalar(store.records)),
        el("dt", {}, "Quarantined"), el("dd", { class: store.quarantined > 0 ? "warn" : "" }, scalar(store.quarantined))));
    }

    // Detail view of one terminal

    function renderDetail(sn) {
      const terminal = state.terminals.find(item => item.sn === sn);
      const detail = document.getElementById("detail");
      if (!terminal) { detail.replaceChildren(el("p", {}, "Unknown terminal " + sn)); return; }
      const result = el("p", { id: "command-result", class: "muted" });
      const button = (label, name, question, style) => el("button", { type: "button", class: style, "data-command": name,
        onclick: async () => {
          if (!confirm(question)) return;
          result.textContent = label + "…";
          try {
            const answer = await command(sn, name);
            result.textContent = label + ": " + answer.outcome;
          } catch (error) {
            result.textContent = label + " failed: " + error.message;
          }
        } }, label);
      const records = state.detailRecords && state.detailRecords.sn === sn ? state.detailRecords.records : null;
      detail.replaceChildren(
        el("p", {}, el("a", { href: "#" }, "← all terminals")),
        el("div", { class: "card" }, el("h2", {}, "Terminal " + sn),
          el("dl", {},
            el("dt", {}, "State"), el("dd", {}, terminal.connected ? "online" : "offline"),
            el("dt", {}, "Address"), el("dd", {}, scalar(terminal.address)),
            el("dt", {}, "Last seen"), el("dd", {}, terminal.connected ? "now" : ago(terminal.last_seen)),
            el("dt", {}, "Registered"), el("dd", {}, scalar(terminal.registered_at)),
            el("dt", {}, "Firmware"), el("dd", {}, firmware(terminal)),
            el("dt", {}, "Clock drift"), el("dd", {}, drift(sn)),
            el("dt", {}, "Queued commands"), el("dd", {}, scalar(terminal.queued_commands))),
          el("div", { class: "actions" },
            button("Open door", "opendoor", "Open the door of " + sn + " now?", "action"),
            button("Sync clock", "settime", "Set the clock of " + sn + " to this box's time?", ""),
            button("Reboot", "reboot", "Reboot " + sn + "? It is away for about a minute.", "danger")),
          result),
        el("div", { class: "card" }, el("h2", {}, "Today's last records"),
          records === null ? el("p", { class: "muted" }, "Loading…")
          : records.length === 0 ? el("p", { class: "muted" }, "No record today.")
          : el("table", {}, el("thead", {}, el("tr", {}, ["Time", "Person", "Event", "Verified by", "In/out"]
              .map(h => el("th", {}, h)))),
            el("tbody", {}, records.map(record => el("tr", {},
              el("td", {}, record.time), el("td", {}, record.enrollid), el("td", {}, record.event),
              el("td", {}, scalar(record.verifymode)), el("td", {}, record.inout)))))));
    }

    async function loadDetailRecords(sn) {
      if (!state.today) return;
      try {
        const page = await api("/v1/records?sn=" + encodeURIComponent(sn) + "&from=" + state.today + "&limit=1000");
        state.detailRecords = { sn, records: page.records.slice(-20).reverse() };
      } catch (error) {
        state.detailRecords = { sn, records: [] };
      }
      if (currentDetail() === sn) renderDetail(sn);
    }

    function currentDetail() {
      const match = location.hash.match(/^#terminal\/(.+)$/);
      return match ? decodeURIComponent(match[1]) : null;
    }

    function route() {
      const sn = currentDetail();
      document.getElementById("overview").hidden = sn !== null;
      document.getElementById("detail").hidden = sn === null;
      if (sn !== null) { renderDetail(sn); loadDetailRecords(sn); }
    }

    // Loading and live updates

    async function loadStatus() {
      try { state.status = await api("/v1/status"); renderStatus(); } catch (error) { console.warn(error); }
    }

    async function loadTerminals() {
      try {
        state.terminals = (await api("/v1/terminals")).terminals;
        renderTerminals();
        if (currentDetail()) renderDetail(currentDetail());
        state.terminals.forEach(terminal => { if (state.recordsToday[terminal.sn] === undefined) loadRecordsToday(terminal.sn); });
      } catch (error) { console.warn(error); }
    }

    async function loadRecordsToday(sn) {
      if (!state.today) return;
      try {
        const page = await api("/v1/records?sn=" + encodeURIComponent(sn) + "&from=" + state.today + "&limit=1000");
        state.recordsToday[sn] = page.next === null ? page.records.length : page.records.length + "+";
        renderTerminals();
      } catch (error) { console.warn(error); }
    }

    const later = {};
    function soon(name, action, milliseconds) {
      if (later[name]) return;
      later[name] = setTimeout(() => { later[name] = null; action(); }, milliseconds);
    }

    function setLive(live) {
      const badge = document.getElementById("live");
      badge.textContent = live ? "live" : "reconnecting";
      badge.className = "badge " + (live ? "on" : "off");
      badge.dataset.live = String(live);
    }

    function listen() {
      const events = new EventSource("/v1/events");
      const on = (name, handler) => events.addEventListener(name, event => handler(JSON.parse(event.data)));
      events.addEventListener("open", () => setLive(true));
      events.addEventListener("error", () => setLive(false));
      on("snapshot", data => {
        state.today = data.site_date;
        state.drifts = data.clock_drifts;
        state.passages = data.passages.slice().reverse();
        state.recordsToday = {};
        renderPassages(0);
        loadTerminals();
        loadStatus();
      });
      on("terminal_online", data => {
        state.drifts[data.sn] = data.clock_drift_seconds;
        const known = state.terminals.find(item => item.sn === data.sn);
        if (known) { known.connected = true; renderTerminals(); }
        soon("terminals", loadTerminals, 300);
      });
      on("terminal_offline", data => {
        const known = state.terminals.find(item => item.sn === data.sn);
        if (known) { known.connected = false; known.last_seen = new Date().toISOString(); renderTerminals(); }
        soon("terminals", loadTerminals, 300);
      });
      on("records_stored", data => {
        const count = state.recordsToday[data.sn];
        if (typeof count === "number") state.recordsToday[data.sn] = count + data.inserted;
        else if (count === undefined) loadRecordsToday(data.sn);
        renderTerminals();
        soon("status", loadStatus, 1000);
        if (currentDetail() === data.sn) soon("detail", () => loadDetailRecords(data.sn), 300);
      });
      on("passage", data => {
        state.passages.unshift(data);
        state.passages.length = Math.min(state.passages.length, 20);
        renderPassages(1);
      });
      on("outbox", () => soon("status", loadStatus, 1000));
    }

    document.getElementById("logout").addEventListener("click", async () => {
      await fetch("/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrfToken } });
      location.href = "/";
    });
    window.addEventListener("hashchange", route);
    setInterval(loadStatus, 60000);
    route();
    listen();
    """#
}
