// The HTTP benchmarks' load generator, run as its own process (bench/http.bench.mjs forks it) so that
// the client never shares the server's process, heap or event loop, as with wrk.
//
// Requests go over raw keep-alive sockets, one in flight per connection, each prebuilt as one buffer;
// answers are parsed just far enough to know their status and where they end (Content-Length or
// chunked). Node's http client costs about as much CPU per request as the server being measured,
// which on a 2-core machine is taken from the server: this one costs a small fraction of it.
//
// Modes (the parent sends a job as an IPC message and gets its result back, one job at a time):
// - closed: `connections` loops, each sends its next request when the last is answered, for `seconds`;
// - open: one request every 1000/rate ms for `seconds`, latency measured from the scheduled time
//   (so a stalled server cannot hide its queueing: no coordinated omission);
// - list: each of `requests` ({path, body}) sent once over `connections` connections, for requests that
//   can succeed only once (signatures);
// - upload: one multipart POST streaming a file from disk.
"use strict";
const net = require("node:net");
const fs = require("node:fs");

const CRLF2 = Buffer.from("\r\n\r\n");

/**
 * One keep-alive connection with at most one request in flight. An answer's head is gathered and
 * read once; its body is only counted (Content-Length) or walked chunk by chunk (chunked), never
 * joined, so a megabyte-sized answer costs the client next to nothing.
 */
class Connection {
  constructor(port) {
    this.port = port;
    this.socket = undefined;
    this.pending = undefined;
    this.#reset();
  }

  #reset() {
    this.head = undefined; // Buffer gathered until the head is complete
    this.status = 0;
    this.close = false;
    this.remaining = -1; // body bytes still to come (Content-Length)
    this.chunked = undefined; // { state: "size" | "skip" | "end", skip, line }
  }

  #connect() {
    const s = net.connect(this.port, "127.0.0.1");
    s.setNoDelay(true);
    s.on("data", (d) => this.#data(d));
    const fail = () => {
      if (this.socket === s) this.socket = undefined;
      this.#finish(0);
    };
    s.on("error", fail);
    s.on("close", fail);
    this.socket = s;
  }

  /** Sends one request; resolves with its status (0 if the connection failed). */
  send(bytes) {
    if (!this.socket) this.#connect();
    return new Promise((resolve) => {
      this.pending = resolve;
      this.#reset();
      this.socket.write(bytes);
    });
  }

  #finish(status) {
    const resolve = this.pending;
    this.pending = undefined;
    this.#reset();
    resolve?.(status);
  }

  #data(d) {
    let body = d;
    if (this.remaining < 0 && !this.chunked) {
      const buf = this.head ? Buffer.concat([this.head, d]) : d;
      const end = buf.indexOf(CRLF2);
      if (end < 0) {
        this.head = buf;
        return;
      }
      const head = buf.latin1Slice(0, end).toLowerCase();
      this.status = Number(head.slice(9, 12));
      this.close = /\r\nconnection:\s*close/.test(head);
      const cl = /\r\ncontent-length:\s*(\d+)/.exec(head);
      if (cl) this.remaining = Number(cl[1]);
      else if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head))
        this.chunked = { state: "size", skip: 0, line: "" };
      else throw new Error("an answer without Content-Length or chunked encoding");
      body = buf.subarray(end + 4);
    }
    if (this.chunked) {
      if (walkChunks(this.chunked, body)) this.#done();
      return;
    }
    this.remaining -= body.length;
    if (this.remaining <= 0) this.#done();
  }

  #done() {
    if (this.close) {
      const s = this.socket;
      this.socket = undefined;
      s.removeAllListeners("close");
      s.removeAllListeners("error");
      s.on("error", () => {});
      s.destroy();
    }
    this.#finish(this.status);
  }

  end() {
    this.socket?.destroy();
  }
}

/** Walks a chunked body's next bytes; true once its last chunk (and empty trailer) has passed. */
function walkChunks(c, buf) {
  let at = 0;
  while (at < buf.length) {
    if (c.state === "skip") {
      const n = Math.min(c.skip, buf.length - at);
      c.skip -= n;
      at += n;
      if (c.skip === 0) c.state = "size";
      continue;
    }
    const eol = buf.indexOf(10, at); // lines end in CRLF; the LF ends them
    c.line += buf.latin1Slice(at, eol < 0 ? buf.length : eol + 1);
    if (eol < 0) return false;
    at = eol + 1;
    if (c.state === "end") {
      if (c.line === "\r\n") return true; // the empty line after the last chunk
      c.line = ""; // a trailer field
      continue;
    }
    const size = Number.parseInt(c.line, 16);
    c.line = "";
    if (size === 0) c.state = "end";
    else {
      c.state = "skip";
      c.skip = size + 2;
    }
  }
  return false;
}

/** The body of a whole answer in `buf` whose head ends at `at`, chunked or not. */
function bodyOf(buf, at, lowerHead) {
  if (!/\r\ntransfer-encoding:[^\r]*chunked/.test(lowerHead)) return buf.toString("utf8", at);
  const parts = [];
  for (;;) {
    const eol = buf.indexOf("\r\n", at, "latin1");
    const size = Number.parseInt(buf.latin1Slice(at, eol), 16);
    if (!(size > 0)) return Buffer.concat(parts).toString("utf8");
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

function request(w, path, body) {
  let head = `${w.method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\n`;
  if (w.token) head += `Authorization: Bearer ${w.token}\r\n`;
  if (body === undefined) return Buffer.from(`${head}\r\n`, "latin1");
  const b = Buffer.from(body);
  return Buffer.concat([
    Buffer.from(`${head}Content-Type: application/json\r\nContent-Length: ${b.length}\r\n\r\n`, "latin1"),
    b,
  ]);
}

/** Makes each request of a run (bodies numbered from `seqStart`, as the bench's digests are). */
function requestMaker(w) {
  let seq = w.seqStart ?? 0;
  const hex = (n) => n.toString(16).padStart(64, "0");
  if (w.kind === "deposit") return () => request(w, w.path, `{"sha256":"${hex(seq++)}"}`);
  if (w.kind === "verify")
    return () => request(w, w.path, `{"sha256":"${hex(w.verifyBase + (seq++ % w.verifyPool))}"}`);
  if (w.kind === "batch") {
    // One prebuilt request whose digests are rewritten in place (a copy per request): building a
    // 70 KB JSON string per call would cost the client more CPU than the server spends on it.
    let body = '{"items":[';
    for (let i = 0; i < w.batch; i++) body += `${i ? "," : ""}{"sha256":"${hex(0)}"}`;
    const template = request(w, w.path, `${body}]}`);
    const first = template.length - 2 - (w.batch - 1) * 78 - 66;
    return () => {
      const b = Buffer.from(template);
      for (let i = 0, at = first; i < w.batch; i++, at += 78) b.latin1Write(hex(seq++), at, 64);
      return b;
    };
  }
  const fixed = request(w, w.path, undefined);
  return () => fixed;
}

function tally(status, s) {
  status[s] = (status[s] ?? 0) + 1;
}

async function closed(w) {
  const next = requestMaker(w);
  const end = performance.now() + w.seconds * 1000;
  const lat = [];
  const status = {};
  let n = 0;
  const conns = Array.from({ length: w.connections }, () => new Connection(w.port));
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < end) {
        const bytes = next();
        const t = performance.now();
        const s = await c.send(bytes);
        lat.push(performance.now() - t);
        tally(status, s);
        n++;
      }
    }),
  );
  for (const c of conns) c.end();
  return { n, seconds: w.seconds, lat, status };
}

async function open(w) {
  // A 1 ms tick sends every request that has come due, on an idle connection (a new one, up to
  // `connections`, if none is idle; else it waits its turn); latency counts from the due time.
  const next = requestMaker(w);
  const interval = 1000 / w.rate;
  const total = Math.round(w.rate * w.seconds);
  const t0 = performance.now() + 20;
  const lat = [];
  const status = {};
  const idle = [];
  const all = [];
  const waiting = [];
  const acquire = () => {
    if (idle.length) return Promise.resolve(idle.pop());
    if (all.length < w.connections) {
      const c = new Connection(w.port);
      all.push(c);
      return Promise.resolve(c);
    }
    return new Promise((r) => waiting.push(r));
  };
  const release = (c) => {
    const w8 = waiting.shift();
    if (w8) w8(c);
    else idle.push(c);
  };
  const inflight = [];
  let sent = 0;
  while (sent < total) {
    await new Promise((r) => setTimeout(r, 1));
    const now = performance.now();
    for (; sent < total && t0 + sent * interval <= now; sent++) {
      const due = t0 + sent * interval;
      const bytes = next();
      inflight.push(
        acquire().then(async (c) => {
          const s = await c.send(bytes);
          lat.push(performance.now() - due);
          tally(status, s);
          release(c);
        }),
      );
    }
  }
  await Promise.all(inflight);
  for (const c of all) c.end();
  return { n: total, seconds: w.seconds, lat, status };
}

async function list(w) {
  const t0 = performance.now();
  const lat = [];
  const status = {};
  const reqs = w.requests.map((r) => request(w, r.path, r.body));
  let next = 0;
  const conns = Array.from({ length: w.connections }, () => new Connection(w.port));
  await Promise.all(
    conns.map(async (c) => {
      while (next < reqs.length) {
        const bytes = reqs[next++];
        const t = performance.now();
        const s = await c.send(bytes);
        lat.push(performance.now() - t);
        tally(status, s);
      }
    }),
  );
  for (const c of conns) c.end();
  return { n: reqs.length, seconds: (performance.now() - t0) / 1000, lat, status };
}

function upload(w) {
  return new Promise((resolve) => {
    const boundary = "----notarium-bench-7d2k1m";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const size = fs.statSync(w.file).size;
    const socket = net.connect(w.port, "127.0.0.1");
    const t = performance.now();
    const received = [];
    socket.on("data", (d) => received.push(d));
    socket.on("error", (e) => resolve({ status: 0, error: String(e) }));
    socket.on("end", () => {
      const seconds = (performance.now() - t) / 1000;
      const buf = Buffer.concat(received);
      const end = buf.indexOf(CRLF2);
      const head = buf.latin1Slice(0, end).toLowerCase();
      resolve({ status: Number(head.slice(9, 12)), seconds, body: bodyOf(buf, end + 4, head) });
    });
    socket.write(
      `POST ${w.path} HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\nAuthorization: Bearer ${w.token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${head.length + size + tail.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(head);
    const rs = fs.createReadStream(w.file, { highWaterMark: 1 << 20 });
    rs.pipe(socket, { end: false });
    rs.on("end", () => socket.write(tail));
  });
}

// One process serves every job of a bench run in turn, so its code is warm after the first.
process.on("message", async (job) => {
  process.send(await { closed, open, list, upload }[job.mode](job));
});
