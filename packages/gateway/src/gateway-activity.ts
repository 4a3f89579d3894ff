/**
 * What the gateway remembers of the requests it served, for operators (the admin API and the
 * console): the last N requests with their routing decisions, and usage totals since start by
 * model, deployment and key. Never message contents.
 */

/** One finished chat request, as `GET /admin/requests` returns it. */
export interface RequestRecord {
  /** The request id (the `x-request-id` response header). */
  id: string;
  /** When the request arrived (milliseconds since the epoch, as `Date.now()`). */
  time: number;
  /**
   * The model (router group) the client asked for; `(other)` past the 200th distinct name when the
   * gateway has no list of served models.
   */
  model: string;
  /** The deployment that answered; `null` when none did. */
  deployment: string | null;
  /** The provider that answered, e.g. `"openai"`; `"simulated"` for the offline simulated provider. */
  provider: string | null;
  /** The virtual key's name; `null` for the master key or no key. */
  key: string | null;
  /** The HTTP status the client got (200 for a stream that ended with an in-band error: see `errorKind`). */
  status: number;
  stream: boolean;
  latencyMs: number;
  /** Streams: time to the first chunk. */
  firstChunkMs?: number;
  /** Upstream calls made (retries and fallbacks included). */
  attempts?: number;
  promptTokens?: number;
  completionTokens?: number;
  /** USD; `null` when the price is unknown. */
  costUsd?: number | null;
  /** The error kind (`rate_limit`, `server`, …) when the request failed. */
  errorKind?: string;
  /** The error message the client got (secrets are already redacted), at most 300 characters. */
  error?: string;
  /** The router's decision trace (rules, eligible and excluded deployments, every attempt), when a router answered. */
  trace?: unknown;
}

/** Usage of one model, deployment or key since the gateway started. */
export interface UsageTotals {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  /** Sum of the known costs (USD). */
  costUsd: number;
  /** Requests whose cost was unknown (no price for the model); they are not in `costUsd`. */
  unpricedRequests: number;
  /** Sum of latencies in ms (divide by `requests` for the mean). */
  latencyMsTotal: number;
}

/** `GET /admin/usage`. */
export interface UsageReport {
  /** When the gateway started counting (milliseconds since the epoch). */
  since: number;
  total: UsageTotals;
  byModel: Record<string, UsageTotals>;
  byDeployment: Record<string, UsageTotals>;
  /** By virtual key name; `"-"` is the master key or no key. */
  byKey: Record<string, UsageTotals>;
}

const emptyTotals = (): UsageTotals => ({
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
  unpricedRequests: 0,
  latencyMsTotal: 0,
});

function add(t: UsageTotals, r: RequestRecord): void {
  t.requests++;
  if (r.errorKind) t.errors++;
  t.promptTokens += r.promptTokens ?? 0;
  t.completionTokens += r.completionTokens ?? 0;
  if (typeof r.costUsd === "number") t.costUsd += r.costUsd;
  else if (r.costUsd === null) t.unpricedRequests++;
  t.latencyMsTotal += r.latencyMs;
}

function merge(into: Map<string, UsageTotals>, name: string, t: UsageTotals): void {
  const sum = into.get(name);
  if (!sum) {
    into.set(name, { ...t });
    return;
  }
  sum.requests += t.requests;
  sum.errors += t.errors;
  sum.promptTokens += t.promptTokens;
  sum.completionTokens += t.completionTokens;
  sum.costUsd += t.costUsd;
  sum.unpricedRequests += t.unpricedRequests;
  sum.latencyMsTotal += t.latencyMsTotal;
}

/** Totals per (model, deployment, key): one entry per combination, summed up when read. */
interface Cell {
  model: string;
  deployment: string;
  key: string;
  totals: UsageTotals;
}

/**
 * A ring of the last `size` requests plus usage totals, with live listeners.
 *
 * Each request is kept as the UTF-8 bytes of its JSON text, in a buffer per slot that the next
 * request in that slot writes over (a slot grows when a record does not fit, and shrinks back from
 * beyond 64 KiB once the records are small again). A string or an object graph per request would
 * stay in the ring for `size` requests: long enough for the garbage collector to copy it into the
 * old space, which then fills with them between full collections. The buffers live outside the
 * JavaScript heap and, in the usual case, are allocated once. The totals go to one cell per (model,
 * deployment, key), the last one used in the usual case of a client repeating itself.
 * Listeners cost nothing while there are none.
 */
const EMPTY = Buffer.alloc(0);
const MIN_SLOT = 1024;
const SHRINK_ABOVE = 64 * 1024;
/** A slot for a record of `bytes`: a power of two with room to spare, at least `MIN_SLOT`. */
const slotSize = (bytes: number) => Math.max(MIN_SLOT, 2 ** Math.ceil(Math.log2(bytes + 4)));

export class GatewayActivity {
  private readonly slots: Buffer[];
  private readonly lengths: Uint32Array;
  private readonly ids: string[];
  private next = 0;
  private count = 0;
  private readonly since = Date.now();
  private readonly total = emptyTotals();
  private readonly cells = new Map<string, Cell>();
  private last: Cell | undefined;
  private readonly listeners = new Set<(record: RequestRecord, json: string) => void>();

  /** @param size how many recent requests are kept (default 500; at least 1). */
  constructor(readonly size = 500) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`GatewayActivity: size must be a positive integer, got ${size}`);
    this.slots = new Array<Buffer>(size).fill(EMPTY);
    this.lengths = new Uint32Array(size);
    this.ids = new Array<string>(size).fill("");
  }

  record(r: RequestRecord): void {
    const json = JSON.stringify(r);
    this.store(this.next, json);
    this.ids[this.next] = r.id;
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count++;
    add(this.total, r);
    add(this.cell(r.model, r.deployment ?? "-", r.key ?? "-").totals, r);
    if (this.listeners.size > 0) for (const l of this.listeners) l(r, json);
  }

  private store(at: number, json: string): void {
    let slot = this.slots[at]!;
    let written = slot.write(json, 0, "utf8");
    if (written > slot.length - 4) {
      // `write` stops before a character that does not fit, so a record ending within 3 bytes of
      // the end may have been cut: measure it then, and move to a larger buffer if it was.
      const bytes = Buffer.byteLength(json, "utf8");
      if (bytes > written) {
        slot = Buffer.allocUnsafeSlow(slotSize(bytes));
        this.slots[at] = slot;
        written = slot.write(json, 0, "utf8");
      }
    } else if (slot.length > SHRINK_ABOVE && written * 4 < slot.length) {
      // A slot that a large record grew gives the memory back once the records are small again.
      const small = Buffer.allocUnsafeSlow(slotSize(written));
      slot.copy(small, 0, 0, written);
      this.slots[at] = small;
    }
    this.lengths[at] = written;
  }

  private text(at: number): string {
    return this.slots[at]!.toString("utf8", 0, this.lengths[at]);
  }

  private cell(model: string, deployment: string, key: string): Cell {
    const last = this.last;
    if (last && last.model === model && last.deployment === deployment && last.key === key) return last;
    const id = JSON.stringify([model, deployment, key]); // unambiguous whatever the names contain
    let cell = this.cells.get(id);
    if (!cell) {
      cell = { model, deployment, key, totals: emptyTotals() };
      this.cells.set(id, cell);
    }
    this.last = cell;
    return cell;
  }

  /** The most recent requests, newest first. */
  recent(limit = this.size): RequestRecord[] {
    const n = Math.min(Math.max(0, limit), this.count);
    const out: RequestRecord[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = JSON.parse(this.text((this.next - 1 - i + this.size) % this.size));
    return out;
  }

  /** The request with this id, if it is still among the recent ones. */
  get(id: string): RequestRecord | undefined {
    const at = this.ids.indexOf(id);
    return at === -1 || id === "" ? undefined : (JSON.parse(this.text(at)) as RequestRecord);
  }

  usage(): UsageReport {
    const byModel = new Map<string, UsageTotals>();
    const byDeployment = new Map<string, UsageTotals>();
    const byKey = new Map<string, UsageTotals>();
    for (const c of this.cells.values()) {
      merge(byModel, c.model, c.totals);
      merge(byDeployment, c.deployment, c.totals);
      merge(byKey, c.key, c.totals);
    }
    return {
      since: this.since,
      total: { ...this.total },
      byModel: Object.fromEntries(byModel),
      byDeployment: Object.fromEntries(byDeployment),
      byKey: Object.fromEntries(byKey),
    };
  }

  /**
   * Calls `listener` with every request recorded from now on (and its JSON text, ready to send);
   * returns the unsubscribe function.
   */
  subscribe(listener: (record: RequestRecord, json: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
