// The practical limit a gateway can reach on this machine: a bare pass-through proxy on node:http and
// an undici pool (read the body, parse it, forward it, stream the answer back). No auth, no routing,
// no metrics, no errors in OpenAI's shape. The bench runs it beside llmux so the gap is measured.
import http from "node:http";
import { Pool } from "undici";

const port = Number(process.env.PORT ?? 8081);
const upstream = new URL(process.env.UPSTREAM ?? "http://127.0.0.1:9001/v1");
const pool = new Pool(upstream.origin, { connections: 128 });
const path = `${upstream.pathname.replace(/\/+$/, "")}/chat/completions`;

const server = http.createServer((req, res) => {
  const parts = [];
  req.on("data", (c) => parts.push(c));
  req.on("end", async () => {
    try {
      const body = JSON.parse(Buffer.concat(parts).toString("utf8"));
      const r = await pool.request({
        method: "POST",
        path,
        headers: { "content-type": "application/json", authorization: req.headers.authorization ?? "" },
        body: JSON.stringify(body),
      });
      res.writeHead(r.statusCode, { "content-type": r.headers["content-type"] ?? "application/json" });
      for await (const chunk of r.body) res.write(chunk);
      res.end();
    } catch (e) {
      res.writeHead(502).end(String(e));
    }
  });
});
server.keepAliveTimeout = 72_000;
server.listen(port, "127.0.0.1", () => console.log(`bare proxy on http://127.0.0.1:${port} → ${upstream}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
