// The Streamable HTTP transport through the official TypeScript SDK client
// (StreamableHTTPClientTransport) and raw fetch: sessions, tokens, concurrency, cancellation,
// and the refusals that keep the transport safe (403 Origin/Host, 401 token, 413 body,
// 404/400 session, 400 protocol version), against ecs-mcp-server and mcp-conformance-server
// (the MCP library serving test tools, including a cancellable `slow`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';

import { binaryPath, childEnv, delay, sdk, serverBinary, textOf } from './helpers.mjs';

const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { ListToolsResultSchema } = sdk;

const conformanceBinary = () => binaryPath('MCP_CONFORMANCE_SERVER', 'build/tests/mcp-conformance-server');

// Starts `command` listening on a free loopback port; resolves once it logs its URL.
async function startHttpServer(command, args = [], env = {}) {
  const child = spawn(command, ['--port', '0', ...args], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL logged within 10 s: ${stderr}`)), 10000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /serving MCP over Streamable HTTP at (\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then(({ code }) => reject(new Error(`server exited (${code}) before listening: ${stderr}`)));
  });
  return {
    url,
    child,
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function connect(url, { token, name = 'ecs-mcp-e2e-http' } = {}) {
  const requestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit });
  const client = new sdk.Client({ name, version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return { client, transport };
}

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

async function post(url, body, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function rawSession(url, headers = {}) {
  const r = await post(url, INIT, headers);
  assert.equal(r.status, 200);
  const id = r.headers.get('mcp-session-id');
  assert.match(id, /^[0-9a-f]{32}$/);
  await r.json();
  const n = await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'Mcp-Session-Id': id, ...headers });
  assert.equal(n.status, 202);
  return id;
}

describe('ecs-mcp-server over HTTP without a token', () => {
  let server;
  before(async () => { server = await startHttpServer(serverBinary(), ['--transport', 'http']); });
  after(async () => { await server?.stop(); });

  it('serves an SDK client: initialize, ping, tools/list', async () => {
    const { client, transport } = await connect(server.url);
    assert.equal(client.getServerVersion().name, 'ecs-mcp-server');
    assert.match(transport.sessionId, /^[0-9a-f]{32}$/);
    await client.ping();
    const page = await client.request({ method: 'tools/list', params: {} }, ListToolsResultSchema);
    assert.ok(page.tools.some((t) => t.name === 'ecs_resource_management'));
    await transport.terminateSession();
    await client.close();
  });

  it('answers /healthz', async () => {
    const r = await fetch(new URL('/healthz', server.url));
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok' });
  });

  it('refuses a foreign Origin, and a local page on another port, with 403; accepts its own', async () => {
    const bad = await post(server.url, INIT, { Origin: 'https://evil.example.com' });
    assert.equal(bad.status, 403);
    const otherPort = await post(server.url, INIT, { Origin: 'http://localhost:3000' });
    assert.equal(otherPort.status, 403);
    const own = new URL(server.url).origin;
    const good = await post(server.url, INIT, { Origin: own });
    assert.equal(good.status, 200);
    assert.equal(good.headers.get('access-control-allow-origin'), own);
  });

  it('refuses a foreign Host (DNS rebinding) with 403', async () => {
    const { request } = await import('node:http');
    const u = new URL(server.url);
    const status = await new Promise((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
        headers: { Host: 'evil.example.com', 'Content-Type': 'application/json', Accept: 'application/json' } },
      (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', reject);
      req.end(JSON.stringify(INIT));
    });
    assert.equal(status, 403);
  });

  it('needs a session id (400), knows only its own (404), checks the protocol version (400)', async () => {
    const ping = { jsonrpc: '2.0', id: 7, method: 'ping' };
    assert.equal((await post(server.url, ping)).status, 400);
    assert.equal((await post(server.url, ping, { 'Mcp-Session-Id': 'f'.repeat(32) })).status, 404);
    const id = await rawSession(server.url);
    const old = await post(server.url, ping, { 'Mcp-Session-Id': id, 'MCP-Protocol-Version': '1999-01-01' });
    assert.equal(old.status, 400);
    assert.match((await old.json()).error.message, /MCP-Protocol-Version/);
    const ok = await post(server.url, ping, { 'Mcp-Session-Id': id, 'MCP-Protocol-Version': '2025-11-25' });
    assert.equal(ok.status, 200);
    assert.deepEqual((await ok.json()).result, {});
    // DELETE ends the session; it is then unknown.
    const del = await fetch(server.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': id } });
    assert.equal(del.status, 200);
    assert.equal((await post(server.url, ping, { 'Mcp-Session-Id': id })).status, 404);
  });

  it('refuses a body over the limit with 413 and unsupported methods with 405', async () => {
    const huge = JSON.stringify({ ...INIT, params: { ...INIT.params, pad: 'x'.repeat(5 << 20) } });
    const r = await post(server.url, huge).catch((e) => e);
    // The server answers 413 without reading the body; fetch may see the answer or a reset.
    if (r instanceof Response) assert.equal(r.status, 413);
    assert.equal((await fetch(server.url, { method: 'PUT' })).status, 405);
  });

  it('stops on SIGTERM with exit status 0', async () => {
    const other = await startHttpServer(serverBinary(), ['--transport', 'http']);
    await rawSession(other.url);
    const { code } = await other.stop();
    assert.equal(code, 0, other.stderr());
  });
});

describe('ecs-mcp-server over HTTP with a token', () => {
  const TOKEN = 'e2e-secret-token-0123456789';
  let server;
  before(async () => {
    server = await startHttpServer(serverBinary(), ['--transport', 'http'], { ECS_MCP_AUTH_TOKEN: TOKEN });
  });
  after(async () => { await server?.stop(); });

  it('serves an SDK client that presents the token', async () => {
    const { client } = await connect(server.url, { token: TOKEN });
    await client.ping();
    await client.close();
  });

  it('refuses a missing or wrong token with 401 and WWW-Authenticate, before any MCP processing', async () => {
    const none = await post(server.url, INIT);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate'), /^Bearer /);
    assert.equal(none.headers.get('mcp-session-id'), null);
    const wrong = await post(server.url, INIT, { Authorization: `Bearer ${TOKEN}x` });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate'), /invalid_token/);
    await assert.rejects(connect(server.url, { token: 'nope' }), /401|Unauthorized/);
  });

  it('refuses to listen on a non-loopback address without a token', async () => {
    const child = spawn(serverBinary(), ['--transport', 'http', '--host', '0.0.0.0', '--port', '0'],
      { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /without an authentication token/);
  });
});

describe('the MCP library over HTTP (mcp-conformance-server)', () => {
  let server;
  before(async () => { server = await startHttpServer(conformanceBinary(), ['--max-body-bytes', '65536']); });
  after(async () => { await server?.stop(); });

  it('keeps concurrent sessions apart', async () => {
    const clients = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => connect(server.url, { name: `c${i}` })));
    const ids = new Set(clients.map((c) => c.transport.sessionId));
    assert.equal(ids.size, clients.length);
    const answers = await Promise.all(clients.map(({ client }, i) =>
      Promise.all([0, 1, 2].map((j) => client.callTool({ name: 'echo', arguments: { message: `s${i}-m${j}` } })))));
    answers.forEach((perClient, i) => perClient.forEach((r, j) => assert.equal(textOf(r), `s${i}-m${j}`)));
    await Promise.all(clients.map(({ client }) => client.close()));
  });

  it('streams progress over SSE before the result', async () => {
    const { client } = await connect(server.url);
    const seen = [];
    const r = await client.callTool({ name: 'slow', arguments: { ms: 500 } }, undefined,
      { onprogress: (p) => seen.push(p.progress) });
    assert.equal(textOf(r), 'slept 500 ms');
    assert.ok(seen.length >= 2, `progress seen: ${seen}`);
    await client.close();
  });

  it('cancels a running call when the client aborts it', async () => {
    const { client } = await connect(server.url);
    const controller = new AbortController();
    let progressed;
    const progressSeen = new Promise((resolve) => { progressed = resolve; });
    const started = Date.now();
    const call = client.callTool({ name: 'slow', arguments: { ms: 60000 } }, undefined,
      { signal: controller.signal, onprogress: () => progressed() });
    await progressSeen;
    controller.abort('user changed their mind');
    await assert.rejects(call, /abort|cancel|changed their mind/i);
    // The server saw notifications/cancelled and stopped the handler: the session is usable
    // at once and the server logs the cancellation.
    const r = await client.callTool({ name: 'echo', arguments: { message: 'still here' } });
    assert.equal(textOf(r), 'still here');
    for (let i = 0; i < 50 && !/cancelled by the client/.test(server.stderr()); i++) await delay(20);
    assert.match(server.stderr(), /cancelled by the client: user changed their mind/);
    assert.ok(Date.now() - started < 10000);
    await client.close();
  });

  it('refuses an oversized body with 413', async () => {
    const huge = JSON.stringify({ ...INIT, params: { ...INIT.params, pad: 'x'.repeat(100000) } });
    const r = await post(server.url, huge).catch((e) => e);
    if (r instanceof Response) assert.equal(r.status, 413);
    else assert.fail(`expected a 413 answer, got ${r}`);
  });

  it('drains running calls and exits 0 on SIGTERM', async () => {
    const other = await startHttpServer(conformanceBinary());
    const { client } = await connect(other.url);
    const call = client.callTool({ name: 'slow', arguments: { ms: 60000 } }).catch((e) => e);
    await delay(200);
    const t0 = Date.now();
    const { code } = await other.stop();
    assert.equal(code, 0, other.stderr());
    assert.ok(Date.now() - t0 < 5000, 'shutdown took too long');
    // The call ends without a result; closing the client settles it.
    await client.close().catch(() => {});
    await call;
  });
});
