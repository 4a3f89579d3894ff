// Terminal output: colours only on a TTY (and never with NO_COLOR), a progress line on stderr,
// tables, and a JSON mode where stdout carries nothing but the final report.
import { styleText } from "node:util";

type Style = Parameters<typeof styleText>[0];

export class Output {
  private spinnerTimer: ReturnType<typeof setInterval> | undefined;
  private spinnerText = "";

  constructor(
    readonly json: boolean,
    private readonly color: boolean = !json && process.stdout.isTTY === true && !process.env.NO_COLOR,
  ) {}

  style(format: Style, text: string): string {
    return this.color ? styleText(format, text, { validateStream: false }) : text;
  }

  /** A line for people (suppressed in JSON mode). */
  line(text = ""): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  write(text: string): void {
    if (!this.json) process.stdout.write(text);
  }

  heading(text: string): void {
    this.line();
    this.line(this.style(["bold", "cyan"], `━━ ${text}`));
  }

  /** A progress indicator on stderr while waiting (only when stderr is a terminal). */
  progress(text: string): void {
    if (!process.stderr.isTTY) return;
    this.spinnerText = text;
    if (this.spinnerTimer) return;
    const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    let i = 0;
    this.spinnerTimer = setInterval(() => {
      process.stderr.write(`\r${frames[i++ % frames.length]} ${this.spinnerText}\x1b[K`);
    }, 80);
  }

  done(): void {
    if (!this.spinnerTimer) return;
    clearInterval(this.spinnerTimer);
    this.spinnerTimer = undefined;
    process.stderr.write("\r\x1b[K");
  }

  table(headers: string[], rows: string[][]): void {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const fmt = (cells: string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i]!)).join("  ");
    this.line(this.style("bold", fmt(headers)));
    this.line(widths.map((w) => "─".repeat(w)).join("  "));
    for (const r of rows) this.line(fmt(r));
  }
}

export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "unknown";
  return usd === 0 ? "$0" : `$${usd < 0.01 ? usd.toFixed(6) : usd.toFixed(4)}`;
}
