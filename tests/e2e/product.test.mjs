// The real ecs-mcp-server, driven by the official MCP TypeScript SDK client and by raw stdio:
// lifecycle, version negotiation, JSON-RPC error handling, configuration through the
// environment, process behaviour (exit codes, signals, stdout hygiene) and the tools/list
// snapshot.
//
// Run: node --test tests/e2e/product.test.mjs (ECS_MCP_SERVER / MCP_FIXTURE_SERVER give the
// binaries; UPDATE_SNAPSHOTS=1 rewrites tests/e2e/snapshots/tools-list.json).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  E2E_DIR, RawServer, childEnv, connectClient, fixtureBinary, listAllTools, sdk, serverBinary,
} from './helpers.mjs';

const { McpError, ErrorCode, EmptyResultSchema, LATEST_PROTOCOL_VERSION } = sdk;

describe('ecs-mcp-server through the SDK client', () => {
  let session;
  before(async () => { session = await connectClient(serverBinary()); });
  after(async () => { await session?.client.close(); });

  it('initializes with the server identity, instructions and the latest protocol version', () => {
    const { client, transport } = session;
    const info = client.getServerVersion();
    assert.equal(info.name, 'ecs-mcp-server');
    assert.equal(info.title, 'Amazon ECS MCP Server');
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    const instructions = client.getInstructions();
    assert.match(instructions, /ALLOW_WRITE/);
    assert.match(instructions, /ALLOW_SENSITIVE_DATA/);
    assert.equal(transport.protocolVersion, LATEST_PROTOCOL_VERSION);
    assert.equal(transport.protocolVersion, '2025-11-25');
    const caps = client.getServerCapabilities();
    assert.ok(caps.tools, 'tools capability');
    assert.ok(caps.logging, 'logging capability');
  });

  it('lists tools', async () => {
    const { tools } = await listAllTools(session.client);
    assert.ok(Array.isArray(tools));
    const names = tools.map((t) => t.name);
    assert.equal(new Set(names).size, names.length, 'tool names are unique');
  });

  it('answers ping', async () => {
    assert.deepEqual(await session.client.ping(), {});
  });

  it('answers an unknown tool with -32602', async () => {
    await assert.rejects(
      session.client.callTool({ name: 'no_such_tool', arguments: {} }),
      (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /no_such_tool/.test(e.message),
    );
  });

  it('answers an unknown method with -32601', async () => {
    await assert.rejects(
      session.client.request({ method: 'no/such/method', params: {} }, EmptyResultSchema),
      (e) => e instanceof McpError && e.code === ErrorCode.MethodNotFound,
    );
  });
});

describe('ecs-mcp-server tools/list snapshot', () => {
  const snapshotPath = join(E2E_DIR, 'snapshots', 'tools-list.json');

  // Keys sorted at every level so the file diffs only when the listing changes.
  const canonical = (v) => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
    }
    return v;
  };

  it('matches tests/e2e/snapshots/tools-list.json (UPDATE_SNAPSHOTS=1 rewrites it)', async () => {
    // Raw stdio, so the snapshot is exactly what the server emits, not what a client keeps.
    const server = new RawServer(serverBinary());
    try {
      await server.initialize();
      const tools = [];
      let cursor;
      let id = 1;
      do {
        const answer = await server.request(id++, 'tools/list', cursor === undefined ? {} : { cursor });
        assert.equal(answer.error, undefined, JSON.stringify(answer.error));
        tools.push(...answer.result.tools);
        cursor = answer.result.nextCursor;
      } while (cursor !== undefined);
      const text = `${JSON.stringify(canonical(tools), null, 2)}\n`;
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        writeFileSync(snapshotPath, text);
        return;
      }
      assert.ok(existsSync(snapshotPath), `${snapshotPath} is missing: run with UPDATE_SNAPSHOTS=1 to create it`);
      assert.deepEqual(
        JSON.parse(text), JSON.parse(readFileSync(snapshotPath, 'utf8')),
        'tools/list differs from the snapshot; if the change is intended, rerun with UPDATE_SNAPSHOTS=1 and commit the diff',
      );
      assert.equal(text, readFileSync(snapshotPath, 'utf8'), 'snapshot formatting drifted; rerun with UPDATE_SNAPSHOTS=1');
    } finally {
      await server.end();
      server.assertStdoutClean();
    }
  });
});

describe('ecs-mcp-server over raw stdio', () => {
  for (const version of ['2025-06-18', '2025-03-26']) {
    it(`agrees to protocol ${version} when the client asks for it`, async () => {
      const server = new RawServer(serverBinary());
      try {
        const answer = await server.initialize(version);
        assert.equal(answer.result.protocolVersion, version);
        const list = await server.request(1, 'tools/list', {});
        assert.ok(Array.isArray(list.result.tools));
      } finally {
        assert.equal((await server.end()).code, 0);
        server.assertStdoutClean();
      }
    });
  }

  it('answers an unsupported protocol version with 2025-11-25', async () => {
    const server = new RawServer(serverBinary());
    try {
      const answer = await server.initialize('1999-01-01');
      assert.equal(answer.result.protocolVersion, '2025-11-25');
    } finally {
      await server.end();
      server.assertStdoutClean();
    }
  });

  it('answers malformed JSON with -32700 and a null id, then keeps serving', async () => {
    const server = new RawServer(serverBinary());
    try {
      await server.initialize();
      server.sendRaw('{"jsonrpc":"2.0","id":7,"method":');
      const parseError = await server.next((m) => m.error?.code === -32700, 5000, 'a parse error');
      assert.equal(parseError.id, null);
      assert.equal(typeof parseError.error.message, 'string');
      const pong = await server.request(8, 'ping');
      assert.deepEqual(pong.result, {});
    } finally {
      await server.end();
      server.assertStdoutClean();
    }
  });

  it('answers invalid requests with -32600', async () => {
    const server = new RawServer(serverBinary());
    try {
      await server.initialize();
      server.sendRaw('{"jsonrpc":"1.0","id":11,"method":"ping"}');
      server.sendRaw('{"jsonrpc":"2.0","id":12,"method":42}');
      server.sendRaw('"just a string"');
      const errors = [];
      for (let i = 0; i < 3; i++) {
        errors.push(await server.next((m) => m.error && !errors.includes(m), 5000, `invalid-request error ${i + 1}`));
      }
      for (const e of errors) {
        assert.equal(e.error.code, -32600, JSON.stringify(e));
        assert.ok(e.id === null || e.id === 11 || e.id === 12, `id ${e.id}`);
      }
      assert.deepEqual((await server.request(13, 'ping')).result, {});
    } finally {
      await server.end();
      server.assertStdoutClean();
    }
  });

  it('refuses requests before initialize, but answers ping', async () => {
    const server = new RawServer(serverBinary());
    try {
      const early = await server.request(1, 'tools/list', {});
      assert.equal(early.error?.code, -32600);
      assert.deepEqual((await server.request(2, 'ping')).result, {});
    } finally {
      await server.end();
    }
  });

  it('sends no answer to notifications', async () => {
    const server = new RawServer(serverBinary());
    try {
      await server.initialize();
      server.send({ method: 'notifications/initialized' });
      server.send({ method: 'notifications/no_such_notification', params: { x: 1 } });
      server.send({ method: 'notifications/cancelled', params: { requestId: 12345, reason: 'nothing' } });
      server.send({ method: 'tools/list' });  // a request without an id is a notification
      await server.request(99, 'ping');
      const afterInit = server.messages.filter((m) => m.id !== 0);
      assert.deepEqual(afterInit.map((m) => m.id), [99], 'only the ping is answered');
    } finally {
      await server.end();
      server.assertStdoutClean();
    }
  });

  it('writes only JSON-RPC lines to stdout, even with debug logging', async () => {
    const server = new RawServer(serverBinary(), { env: { FASTMCP_LOG_LEVEL: 'debug' } });
    try {
      await server.initialize();
      server.sendRaw('not json at all');
      server.send({ method: 'notifications/whatever' });
      await server.request(1, 'tools/list', {});
      await server.request(2, 'tools/call', { name: 'no_such_tool', arguments: {} });
      await server.request(3, 'no/such/method', {});
      await server.request(4, 'logging/setLevel', { level: 'debug' });
    } finally {
      assert.equal((await server.end()).code, 0);
    }
    server.assertStdoutClean();
    assert.ok(server.messages.length >= 6);
    assert.ok(server.stderr.length > 0, 'logs go to stderr');
  });

  it('exits 0 at the end of its input', async () => {
    const server = new RawServer(serverBinary());
    await server.initialize();
    const exit = await server.end(5000);
    assert.deepEqual([exit.code, exit.signal], [0, null]);
    server.assertStdoutClean();
  });

  it('exits 0 on SIGTERM while idle', async () => {
    const server = new RawServer(serverBinary());
    await server.initialize();
    const sentAt = Date.now();
    server.child.kill('SIGTERM');
    const exit = await server.waitExit(5000);
    assert.deepEqual([exit.code, exit.signal], [0, null]);
    assert.ok(exit.at - sentAt < 2000, `exited ${exit.at - sentAt} ms after SIGTERM`);
  });

  it('exits 0 on SIGTERM quickly even with a slow call running (fixture server)', async () => {
    const server = new RawServer(fixtureBinary());
    try {
      await server.initialize();
      server.send({ id: 5, method: 'tools/call', params: { name: 'slow', arguments: { seconds: 60 }, _meta: { progressToken: 'p5' } } });
      await server.next((m) => m.method === 'notifications/progress', 10000, 'the first progress notification');
      const sentAt = Date.now();
      server.child.kill('SIGTERM');
      const exit = await server.waitExit(10000);
      assert.deepEqual([exit.code, exit.signal], [0, null]);
      assert.ok(exit.at - sentAt < 2500, `exited ${exit.at - sentAt} ms after SIGTERM`);
      server.assertStdoutClean();
    } finally {
      server.kill();
    }
  });
});

describe('ecs-mcp-server configuration', () => {
  const run = (args, env = {}) =>
    spawnSync(serverBinary(), args, { env: childEnv(env), encoding: 'utf8', timeout: 10000 });

  it('--version prints the version and exits 0', () => {
    const r = run(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ecs-mcp-server \d+\.\d+\.\d+/);
  });

  it('--help describes the switches and exits 0', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ALLOW_WRITE/);
    assert.match(r.stdout, /ALLOW_SENSITIVE_DATA/);
  });

  it('an unknown flag is a usage error (exit 2, message on stderr)', () => {
    const r = run(['--no-such-flag']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no-such-flag/);
  });

  const instructionsWith = async (env) => {
    const { client } = await connectClient(serverBinary(), { env });
    try {
      return client.getInstructions();
    } finally {
      await client.close();
    }
  };

  it('writes are disabled by default', async () => {
    assert.match(await instructionsWith({}), /ALLOW_WRITE=true; it is disabled/);
  });

  it('ALLOW_WRITE=true enables writes; so does the alias ECS_MCP_ALLOW_WRITE=true', async () => {
    assert.match(await instructionsWith({ ALLOW_WRITE: 'true' }), /ALLOW_WRITE=true; it is ENABLED/);
    assert.match(await instructionsWith({ ECS_MCP_ALLOW_WRITE: 'true' }), /ALLOW_WRITE=true; it is ENABLED/);
    assert.match(await instructionsWith({ ALLOW_SENSITIVE_DATA: 'true' }), /ALLOW_SENSITIVE_DATA=true; it is ENABLED/);
  });

  it('ALLOW_WRITE=true with ECS_MCP_ALLOW_WRITE=false: the restrictive value wins', async () => {
    const text = await instructionsWith({ ALLOW_WRITE: 'true', ECS_MCP_ALLOW_WRITE: 'false' });
    assert.match(text, /ALLOW_WRITE=true; it is disabled/);
  });
});
