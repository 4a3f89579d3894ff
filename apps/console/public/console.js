// The llmux console page. Reads the console server's /api (never the gateway directly) and builds
// the DOM with textContent only: model names, keys and error messages are data, not markup.
const MAX_ROWS = 200;
const $ = (selector) => document.querySelector(selector);
const requests = new Map(); // id → record, for the decision panel
let selected;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("data-") || k.startsWith("aria-") || k === "title") node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

const usd = (n) => {
  if (n === null) return "unknown";
  if (n === undefined) return "–";
  if (n === 0) return "$0";
  return `$${n < 0.01 ? n.toFixed(6) : n.toFixed(4)}`;
};
const int = (n) => (n ?? 0).toLocaleString("en-US");
const ms = (n) => (n === undefined ? "–" : n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`);

async function api(path) {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error?.message ?? `${path}: HTTP ${res.status}`);
  return body;
}

function problem(message) {
  const p = $("#problem");
  p.hidden = !message;
  p.textContent = message ?? "";
}

function usageTable(table, entries) {
  table.replaceChildren(
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { text: "name" }),
        el("th", { class: "num", text: "requests" }),
        el("th", { class: "num", text: "errors" }),
        el("th", { class: "num", text: "tokens in / out" }),
        el("th", { class: "num", text: "cost" }),
      ),
    ),
    el(
      "tbody",
      {},
      ...entries
        .sort((a, b) => b[1].costUsd - a[1].costUsd || b[1].requests - a[1].requests)
        .map(([name, t]) =>
          el(
            "tr",
            { "data-name": name },
            el("td", { text: name === "-" ? "(none)" : name }),
            el("td", { class: "num", text: int(t.requests) }),
            el("td", { class: t.errors ? "num bad" : "num", text: int(t.errors) }),
            el("td", { class: "num", text: `${int(t.promptTokens)} / ${int(t.completionTokens)}` }),
            el("td", {
              class: "num",
              text: usd(t.costUsd) + (t.unpricedRequests ? ` (+${t.unpricedRequests} unpriced)` : ""),
            }),
          ),
        ),
    ),
  );
}

async function refreshOverview() {
  let o;
  try {
    o = await api("/api/overview");
  } catch (e) {
    $("#gateway").dataset.status = "unreachable";
    $("#gateway").textContent = "gateway: console server unreachable";
    problem(e.message);
    return;
  }
  const g = $("#gateway");
  g.dataset.status = o.gateway.status;
  g.textContent = `gateway ${o.gateway.url}: ${o.gateway.status}${o.models.length ? ` · models ${o.models.join(", ")}` : ""}`;
  problem(o.gateway.error);
  if (!o.usage) return;
  const t = o.usage.total;
  $("#t-requests").textContent = int(t.requests);
  $("#t-errors").textContent = int(t.errors);
  $("#t-cost").textContent = usd(t.costUsd);
  $("#t-tokens").textContent = `${int(t.promptTokens)} / ${int(t.completionTokens)}`;
  $("#t-latency").textContent = t.requests ? ms(t.latencyMsTotal / t.requests) : "–";
  usageTable($("#by-model"), Object.entries(o.usage.byModel));
  usageTable($("#by-deployment"), Object.entries(o.usage.byDeployment));
  usageTable($("#by-key"), Object.entries(o.usage.byKey));
}

let overviewPending = false;
/** Live events come in bursts: the totals are fetched at most twice a second. */
function refreshSoon() {
  if (overviewPending) return;
  overviewPending = true;
  setTimeout(() => {
    overviewPending = false;
    void refreshOverview();
  }, 500);
}

function requestRow(r) {
  const simulated = r.provider === "simulated";
  if (simulated) $("#simulated").hidden = false;
  const failed = Boolean(r.errorKind);
  const tokens = r.promptTokens === undefined ? "–" : `${int(r.promptTokens)} / ${int(r.completionTokens)}`;
  const row = el(
    "tr",
    { "data-id": r.id, tabIndex: 0, "aria-selected": r.id === selected ? "true" : "false" },
    el("td", { text: new Date(r.time).toLocaleTimeString() }),
    el("td", {}, el("code", { text: r.id })),
    el("td", { text: r.key ?? "(master)" }),
    el(
      "td",
      {},
      `${r.model} → ${r.deployment ?? "none"}`,
      simulated ? " " : null,
      simulated ? el("span", { class: "tag sim", text: "simulated" }) : null,
      r.stream ? el("small", { text: " stream" }) : null,
    ),
    el("td", { class: failed ? "bad" : "", text: failed ? `${r.status} ${r.errorKind}` : String(r.status) }),
    el("td", { class: "num", text: ms(r.latencyMs) }),
    el("td", { class: "num", text: r.attempts === undefined ? "–" : String(r.attempts) }),
    el("td", { class: "num", text: tokens }),
    el("td", { class: "num", text: usd(r.costUsd) }),
  );
  row.addEventListener("click", () => showDecision(r.id));
  row.addEventListener("keydown", (e) => {
    if (e.key === "Enter") showDecision(r.id);
  });
  return row;
}

/** Live records go on top; the initial listing (older) below whatever the live feed already added. */
function addRequest(r, live) {
  const body = $("#requests tbody");
  if (!live && requests.has(r.id)) return;
  body.querySelector(`tr[data-id="${CSS.escape(r.id)}"]`)?.remove();
  requests.set(r.id, r);
  const row = requestRow(r);
  if (live) {
    row.classList.add("fresh");
    body.prepend(row);
  } else body.append(row);
  while (body.rows.length > MAX_ROWS) {
    requests.delete(body.lastElementChild.dataset.id);
    body.lastElementChild.remove();
  }
}

function showDecision(id) {
  const r = requests.get(id);
  if (!r) return;
  selected = id;
  for (const row of document.querySelectorAll("#requests tbody tr"))
    row.setAttribute("aria-selected", row.dataset.id === id ? "true" : "false");
  const aside = $("#decision");
  const parts = [
    el("h3", { text: "Routing decision" }),
    el("p", {}, el("code", { text: r.id }), ` ${r.model} → ${r.deployment ?? "no deployment"}`),
    r.provider ? el("p", { class: "hint", text: `provider ${r.provider}` }) : null,
    r.error ? el("p", { class: "bad", text: `${r.errorKind}: ${r.error}` }) : null,
    r.traceLines.length
      ? el("ol", {}, ...r.traceLines.map((line) => el("li", { text: line })))
      : el("p", { class: "hint", text: "No decision trace: the gateway's model is not a router." }),
  ];
  aside.replaceChildren(...parts.filter(Boolean));
}

async function loadRequests() {
  try {
    const { data } = await api("/api/requests?limit=100");
    for (const r of data) addRequest(r, false);
  } catch (e) {
    problem(e.message);
  }
}

function live() {
  const indicator = $("#live");
  const source = new EventSource("/api/events");
  source.addEventListener("status", (e) => {
    const s = JSON.parse(e.data);
    indicator.dataset.live = String(s.connected);
    indicator.textContent = s.connected ? "live feed: on" : "live feed: reconnecting…";
    if (s.error) problem(s.error);
    else refreshSoon();
  });
  source.addEventListener("request", (e) => {
    addRequest(JSON.parse(e.data), true);
    refreshSoon();
  });
  source.addEventListener("error", () => {
    indicator.dataset.live = "false";
    indicator.textContent = "live feed: reconnecting…";
  });
}

async function loadTools(refresh = false) {
  const box = $("#tools");
  let servers;
  try {
    ({ servers } = await api(refresh ? "/api/tools?refresh=1" : "/api/tools"));
  } catch (e) {
    box.replaceChildren(el("p", { class: "bad", text: e.message }));
    return;
  }
  if (servers.length === 0) {
    box.replaceChildren(
      el("p", {
        class: "hint",
        text: "No MCP server configured: start the console with --mcp NAME=COMMAND.",
      }),
    );
    return;
  }
  box.replaceChildren(
    ...servers.map((s) => {
      const targets = s.tools.length ? Object.keys(s.tools[0].providers) : [];
      return el(
        "div",
        { class: "server", "data-server": s.name },
        el("h3", {}, `${s.name} `, el("small", { class: "hint", text: s.target })),
        s.status === "error"
          ? el("p", { class: "bad", text: s.error })
          : el(
              "table",
              {},
              el(
                "thead",
                {},
                el(
                  "tr",
                  {},
                  el("th", { text: "tool" }),
                  el("th", { text: "description" }),
                  ...targets.map((t) => el("th", { text: t })),
                ),
              ),
              el(
                "tbody",
                {},
                ...s.tools.map((tool) =>
                  el(
                    "tr",
                    { "data-tool": tool.name },
                    el("td", {}, el("code", { text: tool.name })),
                    el("td", { text: tool.description ?? tool.title ?? "" }),
                    ...targets.map((t) => {
                      const p = tool.providers[t];
                      return el(
                        "td",
                        { "data-target": t },
                        p.notes.length
                          ? el(
                              "details",
                              {},
                              el(
                                "summary",
                                {},
                                el("span", { class: `tag ${p.status}`, text: p.status }),
                                p.status === "changed" ? ` ${p.notes.length}` : null,
                              ),
                              el("ul", { class: "notes" }, ...p.notes.map((n) => el("li", { text: n }))),
                            )
                          : el("span", { class: `tag ${p.status}`, text: p.status }),
                      );
                    }),
                  ),
                ),
              ),
            ),
      );
    }),
  );
}

void refreshOverview();
void loadRequests();
void loadTools();
$("#reload-tools").addEventListener("click", () => void loadTools(true));
live();
setInterval(refreshOverview, 10_000);
