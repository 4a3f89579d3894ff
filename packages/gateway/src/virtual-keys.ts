import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { clientError } from "./openai-error-response.js";

export interface VirtualKeySpec {
  /** A name for people (shown in metrics and the admin list). */
  name: string;
  /** Model names this key may use (default: all). */
  models?: string[];
  /** Requests per minute. */
  rpm?: number;
  /** USD this key may spend (total, or per `budgetPeriodMs`). */
  budgetUsd?: number;
  budgetPeriodMs?: number;
}

export interface VirtualKeyInfo extends VirtualKeySpec {
  id: string;
  createdAt: string;
  spentUsd: number;
}

interface StoredKey extends VirtualKeyInfo {
  hash: Buffer;
  windowStart: number;
  windowCount: number;
  periodStart: number;
}

const sha256 = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Virtual keys, kept only as SHA-256 hashes; the key itself is shown once, when created. */
export class VirtualKeyStore {
  private readonly byHash = new Map<string, StoredKey>();

  /** Creates a key; returns its secret (`sk-llmux-…`) once, and its public info. */
  create(
    spec: VirtualKeySpec,
    secret: string = `sk-llmux-${randomBytes(24).toString("base64url")}`,
  ): { key: string; info: VirtualKeyInfo } {
    if (!spec || typeof spec.name !== "string" || spec.name.trim() === "")
      throw clientError("bad_request", "name: a key needs a name", "name");
    for (const field of ["rpm", "budgetUsd", "budgetPeriodMs"] as const) {
      const v = spec[field];
      if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v <= 0))
        throw clientError("bad_request", `${field}: expected a number > 0`, field);
    }
    if (
      spec.models !== undefined &&
      !(Array.isArray(spec.models) && spec.models.every((m) => typeof m === "string"))
    ) {
      throw clientError("bad_request", "models: expected an array of model names", "models");
    }
    const hash = sha256(secret);
    const info: VirtualKeyInfo = {
      id: `key_${hash.subarray(0, 6).toString("hex")}`,
      name: spec.name,
      models: spec.models,
      rpm: spec.rpm,
      budgetUsd: spec.budgetUsd,
      budgetPeriodMs: spec.budgetPeriodMs,
      createdAt: new Date().toISOString(),
      spentUsd: 0,
    };
    this.byHash.set(hash.toString("hex"), {
      ...info,
      hash,
      windowStart: 0,
      windowCount: 0,
      periodStart: Date.now(),
    });
    return { key: secret, info };
  }

  /** The key behind a bearer token, or undefined. Compared in constant time. */
  find(secret: string): StoredKey | undefined {
    const hash = sha256(secret);
    const found = this.byHash.get(hash.toString("hex"));
    return found && timingSafeEqual(found.hash, hash) ? found : undefined;
  }

  list(): VirtualKeyInfo[] {
    return [...this.byHash.values()].map(
      ({ hash: _h, windowStart: _w, windowCount: _c, periodStart: _p, ...info }) => info,
    );
  }

  delete(id: string): boolean {
    for (const [h, k] of this.byHash) if (k.id === id) return this.byHash.delete(h);
    return false;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Throws a typed error when the key may not make this request now. */
  admit(key: StoredKey, model: string, now = Date.now()): void {
    if (key.models && !key.models.includes(model)) {
      throw clientError(
        "permission",
        `this key may not use model "${model}" (allowed: ${key.models.join(", ")})`,
        "model",
        "model_not_allowed",
      );
    }
    if (key.budgetUsd !== undefined) {
      if (key.budgetPeriodMs && now - key.periodStart >= key.budgetPeriodMs) {
        key.periodStart = now;
        key.spentUsd = 0;
      }
      if (key.spentUsd >= key.budgetUsd) {
        throw clientError(
          "rate_limit",
          `this key's budget of $${key.budgetUsd} is used up ($${key.spentUsd.toFixed(4)} spent)`,
          undefined,
          "budget_exceeded",
        );
      }
    }
    if (key.rpm !== undefined) {
      if (now - key.windowStart >= 60_000) {
        key.windowStart = now;
        key.windowCount = 0;
      }
      if (key.windowCount >= key.rpm) {
        const err = clientError(
          "rate_limit",
          `this key's limit of ${key.rpm} requests per minute is reached`,
          undefined,
          "rate_limit_exceeded",
        );
        Object.assign(err, { retryAfterMs: 60_000 - (now - key.windowStart) });
        throw err;
      }
      key.windowCount++;
    }
  }

  charge(key: StoredKey, usd: number | null | undefined): void {
    if (usd) key.spentUsd += usd;
  }
}
