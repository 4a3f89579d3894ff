import { describe, expect, it } from "vitest";
import { GatewayMetrics } from "../src/index.js";

describe("GatewayMetrics", () => {
  it("counts runs of repeated labels and interleaved labels alike", async () => {
    const m = new GatewayMetrics(false);
    const sample = (model: string, status = 200) => ({
      model,
      deployment: `${model}-d`,
      key: "-",
      status,
      stream: false,
      seconds: 0.02,
      promptTokens: 3,
      completionTokens: model === "a" ? 0 : 2,
      costUsd: model === "a" ? 0.5 : null,
      ...(status === 200 ? {} : { errorKind: "rate_limit" }),
    });
    // a a a b a b b 429(b) a
    for (const s of [
      sample("a"),
      sample("a"),
      sample("a"),
      sample("b"),
      sample("a"),
      sample("b"),
      sample("b"),
      sample("b", 429),
      sample("a"),
    ])
      m.recordChat(s);
    const text = await m.registry.metrics();
    expect(text).toContain(
      'llmux_requests_total{model="a",deployment="a-d",key="-",status="200",stream="false"} 5',
    );
    expect(text).toContain(
      'llmux_requests_total{model="b",deployment="b-d",key="-",status="200",stream="false"} 3',
    );
    expect(text).toContain(
      'llmux_requests_total{model="b",deployment="b-d",key="-",status="429",stream="false"} 1',
    );
    expect(text).toContain('llmux_tokens_total{model="a",deployment="a-d",type="prompt"} 15');
    // Zero completion tokens are still a series (a model that answered with nothing).
    expect(text).toContain('llmux_tokens_total{model="a",deployment="a-d",type="completion"} 0');
    expect(text).toContain('llmux_tokens_total{model="b",deployment="b-d",type="completion"} 8');
    expect(text).toContain('llmux_cost_usd_total{model="a",deployment="a-d",key="-"} 2.5');
    expect(text).not.toContain('llmux_cost_usd_total{model="b"');
    expect(text).toContain('llmux_errors_total{kind="rate_limit",model="b"} 1');
    expect(text).toContain('llmux_request_duration_seconds_count{model="a",stream="false"} 5');
    expect(text).toContain('llmux_request_duration_seconds_bucket{le="0.025",model="b",stream="false"} 4');
  });

  it("keeps every duration of a label set past its pending limit, and scrapes twice without double counting", async () => {
    const m = new GatewayMetrics(false);
    const sample = {
      model: "m",
      deployment: "d",
      key: "k",
      status: 200,
      stream: true,
      seconds: 0.2,
      firstChunkSeconds: 0.007,
      promptTokens: 1,
      completionTokens: 1,
      costUsd: 0.001,
    };
    for (let i = 0; i < 1300; i++) m.recordChat(sample); // past 512: applied without a scrape too
    const first = await m.registry.metrics();
    expect(first).toContain(
      'llmux_requests_total{model="m",deployment="d",key="k",status="200",stream="true"} 1300',
    );
    expect(first).toContain('llmux_request_duration_seconds_count{model="m",stream="true"} 1300');
    expect(first).toContain('llmux_time_to_first_chunk_seconds_bucket{le="0.01",model="m"} 1300');
    m.recordChat({ ...sample, status: 502, errorKind: "server", promptTokens: undefined, costUsd: null });
    const second = await m.registry.metrics();
    expect(second).toContain(
      'llmux_requests_total{model="m",deployment="d",key="k",status="200",stream="true"} 1300',
    );
    expect(second).toContain(
      'llmux_requests_total{model="m",deployment="d",key="k",status="502",stream="true"} 1',
    );
    expect(second).toContain('llmux_tokens_total{model="m",deployment="d",type="prompt"} 1300');
    expect(second).toContain('llmux_tokens_total{model="m",deployment="d",type="completion"} 1301');
    expect(second).toMatch(/llmux_cost_usd_total\{model="m",deployment="d",key="k"\} 1\.3\d*\n/);
    expect(second).toContain('llmux_errors_total{kind="server",model="m"} 1');
    expect(second).toContain('llmux_request_duration_seconds_count{model="m",stream="true"} 1301');
  });
});
