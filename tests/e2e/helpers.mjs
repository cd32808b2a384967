// Shared helpers for the end-to-end suites: locating the binaries, loading the MCP SDK with a
// clear message when it is not installed, an SDK client over stdio that records the
// negotiated protocol version, and a raw newline-delimited JSON-RPC driver for the cases the
// SDK cannot express (malformed input, other protocol versions, signals, stdout hygiene).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(E2E_DIR, '..', '..');

// A missing SDK is a broken setup, not a reason to skip: fail loudly with the fix.
async function loadSdk() {
  if (!existsSync(join(E2E_DIR, 'node_modules', '@modelcontextprotocol', 'sdk'))) {
    throw new Error(
      `tests/e2e/node_modules is missing the MCP SDK: run scripts/setup ` +
        `(or \`npm ci --prefix ${E2E_DIR}\`) before running the end-to-end tests`,
    );
  }
  const [client, stdio, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return { ...client, ...stdio, ...types };
}

export const sdk = await loadSdk();

// The binary under test, from the environment CTest sets, else the default build tree.
export function binaryPath(envName, fallbackRelative) {
  const path = process.env[envName] || join(REPO_ROOT, fallbackRelative);
  assert.ok(
    existsSync(path),
    `${envName}=${path} does not exist: build it, or set ${envName} to the binary's path`,
  );
  return path;
}

export const serverBinary = () => binaryPath('ECS_MCP_SERVER', 'build/ecs-mcp-server');
export const fixtureBinary = () => binaryPath('MCP_FIXTURE_SERVER', 'build/tests/mcp-fixture-server');

// What a platform agent gives the child: a stripped environment plus the switches.
export function childEnv(extra = {}) {
  const env = { HOME: process.env.HOME ?? '/tmp', PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_REGION: 'us-east-1' };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

// Wraps a transport so the test can see the protocol version the client settled on and
// the order in which raw messages arrived.
class RecordingTransport {
  constructor(inner) {
    this.inner = inner;
    this.received = [];
    this.protocolVersion = undefined;
    inner.onmessage = (m, extra) => {
      this.received.push(m);
      this.onmessage?.(m, extra);
    };
    inner.onclose = () => this.onclose?.();
    inner.onerror = (e) => this.onerror?.(e);
  }
  start() { return this.inner.start(); }
  send(m, o) { return this.inner.send(m, o); }
  close() { return this.inner.close(); }
  setProtocolVersion(v) { this.protocolVersion = v; }
  get pid() { return this.inner.pid; }
  get stderr() { return this.inner.stderr; }
}

// An initialized SDK client talking to `command` over stdio.
export async function connectClient(command, { args = [], env = {} } = {}) {
  const inner = new sdk.StdioClientTransport({ command, args, env: childEnv(env), stderr: 'pipe' });
  const transport = new RecordingTransport(inner);
  let stderr = '';
  inner.stderr?.on('data', (d) => { stderr += d; });
  const client = new sdk.Client({ name: 'ecs-mcp-e2e', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

// Every page of tools/list through the SDK, with the cursors seen.
export async function listAllTools(client) {
  const tools = [];
  const cursors = [];
  let cursor;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
    if (cursor !== undefined) {
      assert.ok(!cursors.includes(cursor), `cursor ${cursor} repeated`);
      cursors.push(cursor);
    }
  } while (cursor !== undefined);
  return { tools, cursors };
}

export const textOf = (result) => result.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const INIT_PARAMS = (protocolVersion = '2025-11-25') => ({
  protocolVersion,
  capabilities: {},
  clientInfo: { name: 'ecs-mcp-e2e-raw', version: '1.0.0' },
});

// Drives a server over raw stdio: newline-delimited JSON both ways. Every stdout line is
// parsed; one that is not JSON is recorded and fails assertStdoutClean().
export class RawServer {
  constructor(command, { args = [], env = {} } = {}) {
    this.child = spawn(command, args, { env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    this.messages = [];
    this.badLines = [];
    this.stderr = '';
    this.waiters = [];
    let partial = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk) => {
      partial += chunk;
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        this.#onLine(line);
      }
    });
    this.child.stdout.on('end', () => {
      if (partial.length > 0) this.badLines.push(`(unterminated) ${partial}`);
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    this.child.stdin.on('error', () => {});  // a server that exits early must not crash the test
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
    });
  }

  #onLine(line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      this.badLines.push(line);
      return;
    }
    if (message === null || typeof message !== 'object' || message.jsonrpc !== '2.0') {
      this.badLines.push(line);
      return;
    }
    message.receivedAt = Date.now();
    this.messages.push(message);
    for (const w of [...this.waiters]) {
      if (w.predicate(message)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(message);
      }
    }
  }

  sendRaw(text) { this.child.stdin.write(text.endsWith('\n') ? text : `${text}\n`); }
  send(message) { this.sendRaw(JSON.stringify({ jsonrpc: '2.0', ...message })); }

  // The first message (already received or future) matching `predicate`.
  next(predicate, timeoutMs = 10000, what = 'a message') {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { predicate, resolve };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.messages)}; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  response(id, timeoutMs) {
    return this.next((m) => m.id === id && (m.result !== undefined || m.error !== undefined), timeoutMs, `the response to id ${JSON.stringify(id)}`);
  }

  async request(id, method, params, timeoutMs) {
    this.send(params === undefined ? { id, method } : { id, method, params });
    return this.response(id, timeoutMs);
  }

  async initialize(protocolVersion) {
    const answer = await this.request(0, 'initialize', INIT_PARAMS(protocolVersion));
    this.send({ method: 'notifications/initialized' });
    return answer;
  }

  // Closes stdin and waits for the exit status.
  async end(timeoutMs = 10000) {
    this.child.stdin.end();
    return this.waitExit(timeoutMs);
  }

  async waitExit(timeoutMs = 10000) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not exit within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill() { if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL'); }

  assertStdoutClean() {
    assert.deepEqual(this.badLines, [], 'stdout must carry only JSON-RPC messages, one per line');
  }
}
