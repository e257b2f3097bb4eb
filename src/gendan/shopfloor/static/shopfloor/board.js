/* The progress board on a wall screen (TV mode). It fetches the board's data every
   data-every seconds, keeps showing the last data with a "stale since" mark while the server
   is away, recovers by itself, says so when the link is revoked, and cycles pages of orders
   when more than fit. No inline script (CSP): the page only carries data-… attributes. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function hhmm(date) {
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  function short(iso) {
    // "2026-12-03T14:00+08:00" -> "12-03 14:00"; "2026-12-03" -> "12-03"
    if (!iso) return "—";
    return iso.slice(5, 10) + (iso.length > 10 ? " " + iso.slice(11, 16) : "");
  }

  function Screen(root) {
    this.root = root;
    this.src = root.getAttribute("data-src");
    this.every = Math.max(15, parseInt(root.getAttribute("data-every"), 10) || 45) * 1000;
    this.kind = root.getAttribute("data-kind");
    this.rowsBox = root.querySelector("[data-tv-rows]");
    this.updated = root.querySelector("[data-tv-updated]");
    this.stale = root.querySelector("[data-tv-stale]");
    this.pageBox = root.querySelector("[data-tv-page]");
    this.message = root.querySelector("[data-tv-message]");
    this.data = null;
    this.lastGood = null;
    this.page = 0;
    this.stopped = false;
  }

  Screen.prototype.label = function (name) {
    return this.root.getAttribute("data-l-" + name) || "";
  };

  Screen.prototype.fetch = function () {
    var self = this;
    if (self.stopped) return;
    fetch(self.src, { cache: "no-store", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) {
          self.gone(response.status === 410 ? "revoked" : "unknown");
          return null;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        self.data = data;
        self.lastGood = new Date();
        self.stale.hidden = true;
        self.root.classList.remove("is-stale");
        self.updated.textContent = self.label("updated") + " " + hhmm(self.lastGood);
        self.render();
      })
      .catch(function () {
        self.markStale();
      })
      .then(function () {
        if (!self.stopped) window.setTimeout(function () { self.fetch(); }, self.every);
      });
  };

  Screen.prototype.markStale = function () {
    // The server is away: keep the last data on screen and say since when it is old.
    var since = this.lastGood ? hhmm(this.lastGood) : "—";
    this.stale.textContent = this.label("stale") + " " + since;
    this.stale.hidden = false;
    this.root.classList.add("is-stale");
  };

  Screen.prototype.gone = function (why) {
    this.stopped = true;
    this.message.textContent = this.label(why);
    this.message.hidden = false;
    this.root.classList.add("is-gone");
    this.rowsBox.textContent = "";
    this.pageBox.textContent = "";
  };

  Screen.prototype.perPage = function () {
    var height = window.innerHeight - 140;
    var each = this.kind === "work_centre" ? 64 : 150;
    return Math.max(2, Math.floor(height / each));
  };

  Screen.prototype.render = function () {
    var rows = (this.data && this.data.rows) || [];
    var per = this.perPage();
    var pages = Math.max(1, Math.ceil(rows.length / per));
    if (this.page >= pages) this.page = 0;
    var shown = rows.slice(this.page * per, (this.page + 1) * per);
    var box = this.rowsBox;
    box.textContent = "";
    if (!rows.length) {
      box.appendChild(el("p", "tv-loading", this.label("empty")));
    }
    for (var i = 0; i < shown.length; i++) {
      box.appendChild(this.kind === "work_centre" ? this.centreRow(shown[i]) : this.orderRow(shown[i]));
    }
    this.pageBox.textContent = pages > 1 ? this.label("page") + " " + (this.page + 1) + "/" + pages : "";
  };

  Screen.prototype.orderRow = function (row) {
    var card = el("article", "board-row tv-row risk-" + row.risk);
    var head = el("header", "board-row-head");
    head.appendChild(el("span", "risk risk-" + row.risk, row.risk_label));
    head.appendChild(el("b", "board-number", row.number));
    head.appendChild(el("span", "", row.customer));
    head.appendChild(el("span", "muted", (row.products || []).join(", ")));
    card.appendChild(head);
    var figures = el("div", "tv-figures");
    figures.appendChild(el("span", "", row.good + " / " + row.quantity));
    var bar = el("progress");
    bar.max = 100;
    bar.value = row.progress_pct;
    figures.appendChild(bar);
    figures.appendChild(el("span", "", row.progress_pct + "% · " + row.operations_done + "/" + row.operations_total + " " + this.label("ops")));
    figures.appendChild(el("span", "", this.label("delivery") + " " + short(row.delivery_date)));
    figures.appendChild(el("span", "", this.label("finish") + " " + short(row.planned_finish)));
    card.appendChild(figures);
    var chips = el("ol", "chips");
    (row.operations || []).forEach(function (op) {
      var chip = el("li", "chip chip-" + op.state);
      chip.appendChild(el("b", "", op.name));
      chip.appendChild(el("span", "", " " + op.state_label));
      chips.appendChild(chip);
    });
    card.appendChild(chips);
    if (row.reasons && row.reasons.length) card.appendChild(el("p", "board-reasons", row.reasons.join(" · ")));
    return card;
  };

  Screen.prototype.centreRow = function (row) {
    var line = el("div", "tv-op op-" + row.status + (row.is_next ? " is-next" : ""));
    line.appendChild(el("b", "", row.number));
    line.appendChild(el("span", "", row.sequence + " " + row.operation));
    line.appendChild(el("span", "", short(row.planned_start) + " – " + short(row.planned_finish)));
    line.appendChild(el("span", "", this.label("good") + " " + row.good + " / " + row.quantity));
    line.appendChild(el("span", "", row.is_next ? this.label("next") + " · " + row.status_label : row.status_label));
    return line;
  };

  Screen.prototype.start = function () {
    var self = this;
    self.fetch();
    window.setInterval(function () {
      if (!self.data || self.stopped) return;
      self.page += 1;
      self.render();
    }, 12000);
  };

  function boot() {
    var root = document.querySelector("[data-tv]");
    if (root) new Screen(root).start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
