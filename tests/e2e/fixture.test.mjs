// The MCP library's protocol paths, exercised through the official TypeScript SDK client
// against mcp-fixture-server (the product's wiring serving test tools): structured output,
// argument validation, handler errors, output-schema enforcement, pagination, annotations,
// the access gate, progress, client logging, cancellation and concurrency.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { RawServer, connectClient, delay, fixtureBinary, listAllTools, sdk, textOf } from './helpers.mjs';

const { McpError, ErrorCode, LoggingMessageNotificationSchema } = sdk;

const FIXTURE_TOOLS = ['echo', 'add', 'slow', 'fail', 'throws', 'bad_output', 'write_thing',
  'delete_thing', 'read_secrets', 'multi'];
const FILLERS = 12;  // the fixture's default --fillers

// Yields [pointer, schema] for every object schema inside `schema`.
function* objectSchemas(schema, pointer = '') {
  if (schema === null || typeof schema !== 'object') return;
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) yield* objectSchemas(s, `${pointer}/${i}`);
    return;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object')) yield [pointer, schema];
  for (const key of ['properties', '$defs', 'definitions', 'patternProperties']) {
    for (const [name, s] of Object.entries(schema[key] ?? {})) yield* objectSchemas(s, `${pointer}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else']) {
    if (schema[key] && typeof schema[key] === 'object') yield* objectSchemas(schema[key], `${pointer}/${key}`);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    if (Array.isArray(schema[key])) yield* objectSchemas(schema[key], `${pointer}/${key}`);
  }
}

describe('fixture server: tool results', () => {
  let session;
  before(async () => { session = await connectClient(fixtureBinary()); });
  after(async () => { await session?.client.close(); });

  it('echo returns structuredContent mirrored as text', async () => {
    await session.client.listTools();  // lets the SDK validate structured output too
    const r = await session.client.callTool({ name: 'echo', arguments: { message: 'héllo "world"' } });
    assert.notEqual(r.isError, true);
    assert.deepEqual(r.structuredContent, { echoed: 'héllo "world"' });
    assert.equal(r.content[0].type, 'text');
    assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent);
  });

  it('add adds integers', async () => {
    const r = await session.client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
    assert.deepEqual(r.structuredContent, { sum: 42 });
  });

  it('add with a wrong argument type is an isError result naming the argument', async () => {
    const r = await session.client.callTool({ name: 'add', arguments: { a: 'two', b: 40 } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /\ba\b/);
    assert.match(textOf(r), /integer/);
    assert.equal(r.structuredContent, undefined);
  });

  it('add with a missing or extra argument is an isError result naming it', async () => {
    const missing = await session.client.callTool({ name: 'add', arguments: { a: 1 } });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /\bb\b/);
    const extra = await session.client.callTool({ name: 'add', arguments: { a: 1, b: 2, c: 3 } });
    assert.equal(extra.isError, true);
    assert.match(textOf(extra), /\bc\b/);
    const fractional = await session.client.callTool({ name: 'add', arguments: { a: 1.5, b: 2 } });
    assert.equal(fractional.isError, true);
    const huge = await session.client.callTool({ name: 'add', arguments: { a: 1e300, b: 2 } });
    assert.equal(huge.isError, true, 'the schema bounds refuse a number the handler cannot hold');
  });

  it('fail returns its error as an isError result', async () => {
    const r = await session.client.callTool({ name: 'fail', arguments: { reason: 'on purpose' } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /on purpose/);
  });

  it('an exception in a handler becomes an isError result', async () => {
    const r = await session.client.callTool({ name: 'throws', arguments: { what: 'kaboom' } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /kaboom/);
    assert.deepEqual(await session.client.ping(), {}, 'the server survives');
  });

  it('output that breaks the declared outputSchema becomes an isError result', async () => {
    const r = await session.client.callTool({ name: 'bad_output', arguments: {} });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /output schema/);
    assert.equal(r.structuredContent, undefined);
  });
});

describe('fixture server: tools/list', () => {
  let session;
  before(async () => { session = await connectClient(fixtureBinary(), { args: ['--page-size', '3'] }); });
  after(async () => { await session?.client.close(); });

  it('pages with a cursor until every tool was seen exactly once', async () => {
    const { tools, cursors } = await listAllTools(session.client);
    const names = tools.map((t) => t.name);
    assert.equal(names.length, FIXTURE_TOOLS.length + FILLERS);
    assert.equal(new Set(names).size, names.length, `duplicates in ${names}`);
    for (const n of FIXTURE_TOOLS) assert.ok(names.includes(n), `${n} listed`);
    assert.equal(cursors.length, Math.ceil(names.length / 3) - 1);
  });

  it('an invalid cursor is -32602', async () => {
    await assert.rejects(
      session.client.listTools({ cursor: 'not-a-cursor' }),
      (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams,
    );
  });

  it('every tool states all four annotation hints, truthfully', async () => {
    const { tools } = await listAllTools(session.client);
    for (const t of tools) {
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) {
        assert.equal(typeof t.annotations?.[hint], 'boolean', `${t.name}.${hint}`);
      }
      assert.equal(typeof t.title, 'string', `${t.name} has a title`);
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    assert.equal(byName.echo.readOnlyHint, true);
    assert.equal(byName.read_secrets.readOnlyHint, true);
    assert.equal(byName.write_thing.readOnlyHint, false);
    assert.equal(byName.write_thing.destructiveHint, false);
    assert.equal(byName.delete_thing.readOnlyHint, false);
    assert.equal(byName.delete_thing.destructiveHint, true);
    assert.equal(byName.multi.readOnlyHint, false);
  });

  it('every object schema declares properties', async () => {
    const { tools } = await listAllTools(session.client);
    let checked = 0;
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', `${t.name} inputSchema`);
      for (const [where, schema] of [...objectSchemas(t.inputSchema), ...objectSchemas(t.outputSchema ?? null)]) {
        assert.ok(schema.properties && Object.keys(schema.properties).length > 0,
          `${t.name}: object schema at "${where}" declares no properties`);
        checked++;
      }
    }
    assert.ok(checked >= tools.length);
  });
});

describe('fixture server: access gate with the default (read-only) configuration', () => {
  let session;
  let tools;
  before(async () => {
    session = await connectClient(fixtureBinary());
    tools = Object.fromEntries((await listAllTools(session.client)).tools.map((t) => [t.name, t]));
  });
  after(async () => { await session?.client.close(); });
  const call = (name, args) => session.client.callTool({ name, arguments: args });

  it('refuses write_thing and delete_thing, naming ALLOW_WRITE=true', async () => {
    for (const name of ['write_thing', 'delete_thing']) {
      const r = await call(name, { name: 'x' });
      assert.equal(r.isError, true, name);
      assert.match(textOf(r), /ALLOW_WRITE=true/);
    }
  });

  it('refuses read_secrets, naming ALLOW_SENSITIVE_DATA=true', async () => {
    const r = await call('read_secrets', { key: 'db' });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /ALLOW_SENSITIVE_DATA=true/);
    assert.doesNotMatch(textOf(r), /hunter2/);
  });

  it('multi: Get runs, Put is refused by name, Exec needs both switches', async () => {
    const get = await call('multi', { operation: 'Get' });
    assert.notEqual(get.isError, true);
    assert.match(textOf(get), /multi Get done/);
    const put = await call('multi', { operation: 'Put' });
    assert.equal(put.isError, true);
    assert.match(textOf(put), /\bPut\b/);
    assert.match(textOf(put), /ALLOW_WRITE=true/);
    const exec = await call('multi', { operation: 'Exec' });
    assert.equal(exec.isError, true);
    assert.match(textOf(exec), /\bExec\b/);
    assert.match(textOf(exec), /ALLOW_WRITE=true/);
    assert.match(textOf(exec), /ALLOW_SENSITIVE_DATA=true/);
  });

  it('multi: an unknown operation is an isError result', async () => {
    const r = await call('multi', { operation: 'Frobnicate' });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /unknown operation Frobnicate, expected Get, Put or Exec/);
  });

  it('descriptions say UNAVAILABLE for tools whose every operation is refused', () => {
    assert.match(tools.write_thing.description, /UNAVAILABLE/);
    assert.match(tools.delete_thing.description, /UNAVAILABLE/);
    assert.match(tools.read_secrets.description, /UNAVAILABLE/);
    assert.doesNotMatch(tools.echo.description, /UNAVAILABLE/);
    assert.doesNotMatch(tools.multi.description, /UNAVAILABLE/);
    assert.match(tools.multi.description, /some operations are refused/);
  });
});

describe('fixture server: access gate with ALLOW_WRITE=true', () => {
  let session;
  let tools;
  before(async () => {
    session = await connectClient(fixtureBinary(), { env: { ALLOW_WRITE: 'true' } });
    tools = Object.fromEntries((await listAllTools(session.client)).tools.map((t) => [t.name, t]));
  });
  after(async () => { await session?.client.close(); });
  const call = (name, args) => session.client.callTool({ name, arguments: args });

  it('allows write_thing, delete_thing and multi Put', async () => {
    assert.match(textOf(await call('write_thing', { name: 'x' })), /wrote x/);
    assert.match(textOf(await call('delete_thing', { name: 'y' })), /deleted y/);
    assert.match(textOf(await call('multi', { operation: 'Put' })), /multi Put done/);
    assert.doesNotMatch(tools.write_thing.description, /UNAVAILABLE/);
  });

  it('still refuses read_secrets and multi Exec (sensitive data is off)', async () => {
    const secrets = await call('read_secrets', {});
    assert.equal(secrets.isError, true);
    assert.match(textOf(secrets), /ALLOW_SENSITIVE_DATA=true/);
    const exec = await call('multi', { operation: 'Exec' });
    assert.equal(exec.isError, true);
    assert.match(textOf(exec), /ALLOW_SENSITIVE_DATA=true/);
    assert.doesNotMatch(textOf(exec), /ALLOW_WRITE=true/, 'only the missing switch is named');
  });
});

describe('fixture server: access gate with ALLOW_WRITE and ALLOW_SENSITIVE_DATA', () => {
  let session;
  before(async () => {
    session = await connectClient(fixtureBinary(), { env: { ALLOW_WRITE: 'true', ALLOW_SENSITIVE_DATA: 'true' } });
  });
  after(async () => { await session?.client.close(); });

  it('allows read_secrets and multi Exec', async () => {
    const secrets = await session.client.callTool({ name: 'read_secrets', arguments: { key: 'db' } });
    assert.notEqual(secrets.isError, true);
    assert.match(textOf(secrets), /hunter2/);
    const exec = await session.client.callTool({ name: 'multi', arguments: { operation: 'Exec' } });
    assert.notEqual(exec.isError, true);
    assert.match(textOf(exec), /multi Exec done/);
  });
});

describe('fixture server: progress, logging, cancellation, concurrency', () => {
  let session;
  before(async () => { session = await connectClient(fixtureBinary()); });
  after(async () => { await session?.client.close(); });

  it('sends increasing progress notifications to onprogress', async () => {
    const seen = [];
    const r = await session.client.callTool({ name: 'slow', arguments: { seconds: 0.6 } }, undefined, {
      onprogress: (p) => seen.push(p),
    });
    assert.equal(textOf(r), 'finished');
    assert.ok(seen.length >= 3, `got ${seen.length} progress notifications`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].progress > seen[i - 1].progress, JSON.stringify(seen));
    assert.equal(seen.at(-1).total, 6);
    assert.equal(typeof seen[0].message, 'string');
  });

  it('sends log messages at the level the client set, and none below it', async () => {
    const messages = [];
    session.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => { messages.push(n.params); });
    try {
      await session.client.setLoggingLevel('info');
      await session.client.callTool({ name: 'slow', arguments: { seconds: 0.3 } });
      assert.ok(messages.length >= 1, 'info messages arrive at level info');
      assert.deepEqual(messages[0], { level: 'info', logger: 'slow', data: 'slow step 1' });

      messages.length = 0;
      await session.client.setLoggingLevel('error');
      await session.client.callTool({ name: 'slow', arguments: { seconds: 0.3 } });
      assert.deepEqual(messages, [], 'info messages are suppressed at level error');
    } finally {
      await session.client.setLoggingLevel('info');
      session.client.removeNotificationHandler('notifications/message');
    }
  });

  it('an aborted call rejects quickly and the server keeps working', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort('test abort'), 300);
    await assert.rejects(
      session.client.callTool({ name: 'slow', arguments: { seconds: 30 } }, undefined, { signal: controller.signal }),
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5000, `rejected after ${elapsed} ms`);
    assert.deepEqual(await session.client.ping(), {});
    const echo = await session.client.callTool({ name: 'echo', arguments: { message: 'still here' } });
    assert.deepEqual(echo.structuredContent, { echoed: 'still here' });
  });

  it('answers ping and echo while a slow call runs', async () => {
    const order = [];
    const slow = session.client.callTool({ name: 'slow', arguments: { seconds: 2 } })
      .then((r) => { order.push('slow'); return r; });
    await delay(150);
    const [pong, echo] = await Promise.all([
      session.client.ping().then((r) => { order.push('ping'); return r; }),
      session.client.callTool({ name: 'echo', arguments: { message: 'meanwhile' } })
        .then((r) => { order.push('echo'); return r; }),
    ]);
    assert.deepEqual(pong, {});
    assert.deepEqual(echo.structuredContent, { echoed: 'meanwhile' });
    assert.equal(textOf(await slow), 'finished');
    assert.deepEqual(order.slice().sort(), ['echo', 'ping', 'slow']);
    assert.equal(order.at(-1), 'slow', `answers arrived in the order ${order}`);
  });
});

describe('fixture server: cancellation over raw stdio', () => {
  it('never answers a request after notifications/cancelled', async () => {
    const server = new RawServer(fixtureBinary());
    try {
      await server.initialize();
      server.send({ id: 7, method: 'tools/call', params: { name: 'slow', arguments: { seconds: 1 }, _meta: { progressToken: 't7' } } });
      await server.next((m) => m.method === 'notifications/progress' && m.params.progressToken === 't7', 10000, 'progress for id 7');
      server.send({ method: 'notifications/cancelled', params: { requestId: 7, reason: 'the user changed their mind' } });
      // Long enough for the call to have finished had it not been cancelled.
      await delay(1500);
      assert.deepEqual((await server.request(8, 'ping')).result, {});
      const echo = await server.request(9, 'tools/call', { name: 'echo', arguments: { message: 'after' } });
      assert.deepEqual(echo.result.structuredContent, { echoed: 'after' });
    } finally {
      assert.equal((await server.end()).code, 0);
      server.kill();
    }
    assert.deepEqual(server.messages.filter((m) => m.id === 7), [], 'no response for the cancelled request');
    server.assertStdoutClean();
  });

  it('a cancelled request id can be reused once the call has stopped', async () => {
    const server = new RawServer(fixtureBinary());
    try {
      await server.initialize();
      server.send({ id: 'c1', method: 'tools/call', params: { name: 'slow', arguments: { seconds: 30 }, _meta: { progressToken: 1 } } });
      await server.next((m) => m.method === 'notifications/progress', 10000, 'progress');
      server.send({ method: 'notifications/cancelled', params: { requestId: 'c1' } });
      // The handler notices within one 100 ms step; until then the id is still in use.
      let again;
      for (let attempt = 0; attempt < 50; attempt++) {
        await delay(100);
        const sentAt = Date.now();
        server.send({ id: 'c1', method: 'tools/call', params: { name: 'echo', arguments: { message: 'reused' } } });
        again = await server.next((m) => m.id === 'c1' && m.receivedAt >= sentAt, 5000, 'the answer to the reused id');
        if (!again.error) break;
        assert.match(again.error.message, /already in use/);
      }
      assert.deepEqual(again.result?.structuredContent, { echoed: 'reused' });
    } finally {
      await server.end();
      server.kill();
    }
    server.assertStdoutClean();
  });
});

describe('fixture server: end of input', () => {
  it('answers calls still running when stdin closes, then exits 0', async () => {
    const server = new RawServer(fixtureBinary());
    try {
      await server.initialize();
      server.send({ id: 21, method: 'tools/call', params: { name: 'slow', arguments: { seconds: 0.5 } } });
      server.child.stdin.end();
      const exit = await server.waitExit(10000);
      assert.deepEqual([exit.code, exit.signal], [0, null]);
      const answer = server.messages.find((m) => m.id === 21);
      assert.equal(answer?.result?.content?.[0]?.text, 'finished');
      server.assertStdoutClean();
    } finally {
      server.kill();
    }
  });
});
