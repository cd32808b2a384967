// `ecs-agent serve` driven by the official A2A JavaScript SDK client (@a2a-js/sdk 0.3, the
// protocol platform supervisors speak), with a scripted OpenAI-compatible model on loopback
// (tests/agents/lib/fake_openai.mjs, which validates requests as OpenAI does) and, as the ECS
// server, fake-mcp-server (confirmations, slow calls) or the real ecs-mcp-server against
// moto_server. Covered: the agent card (and the 0.2 path), message/send answered with an
// artifact, message/stream events in the order supervisors expect, tasks/get, tasks/cancel of
// a long task, multi-turn contexts, the input-required round trip for a deletion, and the
// token and Origin refusals.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { A2AClient } from '@a2a-js/sdk/client';

import { FakeOpenAI } from '../agents/lib/fake_openai.mjs';
import { Moto } from '../e2e/lib/moto.mjs';

const AGENT = process.env.ECS_AGENT;
const FAKE_SERVER = process.env.FAKE_MCP_SERVER;
const ECS_SERVER = process.env.ECS_MCP_SERVER;
const TOKEN = 'a2a-test-token';

// Starts `ecs-agent serve` on a free port and resolves with its base URL once it listens.
async function serve(model, env) {
  const proc = spawn(AGENT, ['serve', '--port', '0'], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp',
      LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'test', OPENAI_MODEL_NAME: 'gpt-test',
      OPENAI_ENDPOINT: model.url, ECS_MCP_AUTH_TOKEN: TOKEN, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/serving A2A at (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`ecs-agent serve exited with ${code}: ${stderr}`)));
  });
  return { proc, url, stderr: () => stderr };
}

async function stop(agent) {
  if (!agent || agent.proc.exitCode !== null) return;
  const exited = new Promise((resolve) => agent.proc.once('exit', resolve));
  agent.proc.kill('SIGTERM');
  await exited;
}

const withToken = (fetchImpl = fetch) => (url, init = {}) =>
  fetchImpl(url, { ...init, headers: { ...(init.headers ?? {}), Authorization: `Bearer ${TOKEN}` } });

const userMessage = (text, extra = {}) => ({
  message: { kind: 'message', messageId: randomUUID(), role: 'user', parts: [{ kind: 'text', text }], ...extra },
});

// A2AClient answers JSON-RPC errors as { error } objects; results as { result }.
function resultOf(response) {
  assert.equal(response.error, undefined, JSON.stringify(response.error));
  return response.result;
}

const textOf = (task) => task.artifacts.map((a) => a.parts.map((p) => p.text).join('')).join('\n');

describe('ecs-agent serve with fake-mcp-server as the ECS server', { timeout: 120000 }, () => {
  let model;
  let agent;
  let client;

  before(async () => {
    model = await new FakeOpenAI().start();
    agent = await serve(model, {
      ENABLE_ECS_MCP: 'true', ECS_MCP_SERVER_PATH: FAKE_SERVER, ECS_MCP_ALLOW_WRITE: 'true',
    });
    client = await A2AClient.fromCardUrl(`${agent.url}.well-known/agent-card.json`, { fetchImpl: withToken() });
  });
  after(async () => {
    await stop(agent);
    await model?.stop();
  });

  test('the agent card describes the ECS skills and the switches', async () => {
    const card = await client.getAgentCard();
    assert.equal(card.name, 'ecs-agent');
    assert.equal(card.protocolVersion, '0.3.0');
    assert.equal(card.url, agent.url);
    assert.equal(card.capabilities.streaming, true);
    assert.equal(card.capabilities.pushNotifications, false);
    assert.deepEqual(card.defaultInputModes, ['text/plain']);
    assert.deepEqual(card.skills.map((s) => s.id), ['ecs-deploy', 'ecs-troubleshoot', 'ecs-resources', 'ecs-documentation']);
    assert.ok(card.skills[0].examples.includes('Containerize this Node.js app and deploy it to AWS'));
    assert.ok(card.skills[1].examples.includes('My ECS tasks keep failing, can you diagnose the issue?'));
    assert.match(card.description, /Writes are ENABLED/);
    assert.match(card.description, /Sensitive data is DISABLED/);
    assert.deepEqual(card.securitySchemes, { bearer: { type: 'http', scheme: 'bearer' } });
  });

  test('message/send: a completed task with the answer as an artifact', async () => {
    model.setScript([
      { tool_calls: [{ name: 'echo', arguments: { message: 'three clusters' } }] },
      { text: 'You have three clusters.' },
    ]);
    const before = model.requests.length;
    const task = resultOf(await client.sendMessage(userMessage('List all my ECS clusters')));
    assert.equal(task.kind, 'task');
    assert.equal(task.status.state, 'completed');
    assert.equal(textOf(task), 'You have three clusters.');
    assert.equal(task.history[0].parts[0].text, 'List all my ECS clusters');
    assert.equal(task.status.message.parts[0].text, 'You have three clusters.');
    const sent = model.requests.slice(before);
    assert.equal(sent.length, 2);
    assert.deepEqual(model.violations(), []);
    const toolMessage = sent[1].body.messages.find((m) => m.role === 'tool');
    assert.equal(toolMessage.content, 'three clusters');
    assert.ok(sent[0].body.tools.some((t) => t.function.name === 'delete_thing'));

    const got = resultOf(await client.getTask({ id: task.id, historyLength: 1 }));
    assert.equal(got.status.state, 'completed');
    assert.equal(got.history.length, 1);
    assert.equal(got.history[0].role, 'agent');
    const missing = await client.getTask({ id: 'no-such-task' });
    assert.equal(missing.error.code, -32001);
  });

  test('message/stream: task, working with streamed text, the artifact, then completed', async () => {
    model.setScript([{ text: 'Your service is healthy.' }]);
    const events = [];
    for await (const event of client.sendMessageStream(userMessage('Is my service healthy?'))) events.push(event);
    assert.equal(events[0].kind, 'task');
    assert.equal(events[0].status.state, 'submitted');
    const kinds = events.map((e) => (e.kind === 'status-update' ? `status:${e.status.state}` : e.kind));
    const firstArtifact = kinds.indexOf('artifact-update');
    assert.ok(firstArtifact > 1, kinds.join(','));
    assert.ok(kinds.slice(1, firstArtifact).every((k) => k === 'status:working'), kinds.join(','));
    assert.deepEqual(kinds.slice(firstArtifact), ['artifact-update', 'status:completed']);
    const streamed = events.filter((e) => e.kind === 'status-update' && e.status.message)
      .slice(0, -1).map((e) => e.status.message.parts[0].text).join('');
    assert.equal(streamed, 'Your service is healthy.');
    const artifact = events[firstArtifact];
    assert.equal(artifact.lastChunk, true);
    assert.equal(artifact.artifact.parts[0].text, 'Your service is healthy.');
    const last = events.at(-1);
    assert.equal(last.final, true);
    assert.ok(events.every((e) => (e.taskId ?? e.id) === events[0].id));
  });

  test('tasks/cancel stops a long task; a finished task is not cancelable', async () => {
    model.setScript([{ tool_calls: [{ name: 'slow', arguments: { ms: 60000 } }] }, { text: 'done' }]);
    const started = resultOf(await client.sendMessage({ ...userMessage('Do the slow thing'), configuration: { blocking: false } }));
    assert.ok(['submitted', 'working'].includes(started.status.state), started.status.state);
    // Wait until the tool call is running.
    for (let i = 0; i < 200 && !model.requests.at(-1)?.body?.tools; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const canceled = resultOf(await client.cancelTask({ id: started.id }));
    assert.equal(canceled.status.state, 'canceled');
    const got = resultOf(await client.getTask({ id: started.id }));
    assert.equal(got.status.state, 'canceled');
    const again = await client.cancelTask({ id: started.id });
    assert.equal(again.error.code, -32002);
    // The slow call was stopped: the next task gets a tool answer at once.
    model.setScript([{ tool_calls: [{ name: 'echo', arguments: { message: 'quick' } }] }, { text: 'quick' }]);
    const next = resultOf(await client.sendMessage(userMessage('Quick one')));
    assert.equal(next.status.state, 'completed');
    assert.ok(Date.now() - t0 < 10000, `took ${Date.now() - t0} ms`);
  });

  test('a context keeps the conversation across tasks', async () => {
    model.setScript([{ text: 'Noted: the cluster is shop-prod.' }, { text: 'You said shop-prod.' }]);
    const first = resultOf(await client.sendMessage(userMessage('My cluster is shop-prod')));
    const before = model.requests.length;
    const second = resultOf(await client.sendMessage(userMessage('Which cluster did I name?', { contextId: first.contextId })));
    assert.equal(second.contextId, first.contextId);
    assert.notEqual(second.id, first.id);
    assert.equal(textOf(second), 'You said shop-prod.');
    const messages = model.requests[before].body.messages.filter((m) => m.role !== 'system');
    assert.deepEqual(messages.map((m) => [m.role, m.content]), [
      ['user', 'My cluster is shop-prod'],
      ['assistant', 'Noted: the cluster is shop-prod.'],
      ['user', 'Which cluster did I name?'],
    ]);
  });

  test('a deletion asks for input; the next message in the task answers it', async () => {
    model.setScript([
      { tool_calls: [{ name: 'delete_thing', arguments: { name: 'db' } }] },
      (body) => ({ text: `Result: ${body.messages.at(-1).content}` }),
    ]);
    const asked = resultOf(await client.sendMessage(userMessage('Delete db')));
    assert.equal(asked.status.state, 'input-required');
    assert.match(asked.status.message.parts[0].text, /Delete db permanently\?/);
    const events = [];
    for await (const event of client.sendMessageStream(userMessage('yes', { taskId: asked.id, contextId: asked.contextId }))) {
      events.push(event);
    }
    assert.equal(events[0].kind, 'task');
    assert.equal(events.at(-1).status.state, 'completed');
    const task = resultOf(await client.getTask({ id: asked.id }));
    assert.equal(textOf(task), 'Result: deleted db');
    assert.deepEqual(task.history.map((m) => m.role), ['user', 'agent', 'user', 'agent']);
  });

  test('without the token, or from a foreign page, requests are refused', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: 'x' } });
    const headers = { 'Content-Type': 'application/json' };
    const none = await fetch(agent.url, { method: 'POST', headers, body });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate'), /^Bearer/);
    const wrong = await fetch(agent.url, { method: 'POST', headers: { ...headers, Authorization: 'Bearer nope' }, body });
    assert.equal(wrong.status, 401);
    const foreign = await fetch(agent.url, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${TOKEN}`, Origin: 'http://evil.example' }, body });
    assert.equal(foreign.status, 403);
    const card = await fetch(`${agent.url}.well-known/agent-card.json`, { headers: { Origin: 'http://evil.example' } });
    assert.equal(card.status, 403);
    const ok = await fetch(agent.url, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${TOKEN}` }, body });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).error.code, -32001);
    const unknown = await withToken()(agent.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tasks/nothing', params: {} }) });
    assert.equal((await unknown.json()).error.code, -32601);
  });

  test('a 0.2 client reads /.well-known/agent.json and talks to the same agent', async () => {
    const old = await A2AClient.fromCardUrl(`${agent.url}.well-known/agent.json`, { fetchImpl: withToken() });
    const card = await old.getAgentCard();
    assert.equal(card.url, agent.url);
    model.setScript([{ text: 'Hello from the same agent.' }]);
    const task = resultOf(await old.sendMessage(userMessage('Hello')));
    assert.equal(textOf(task), 'Hello from the same agent.');
  });
});

describe('ecs-agent serve with the real ecs-mcp-server and moto_server', { timeout: 120000 }, () => {
  let moto;
  let model;
  let agent;
  let home;

  before(async () => {
    moto = await Moto.start();
    home = moto.makeHome();
    model = await new FakeOpenAI().start();
  });
  after(async () => {
    await stop(agent);
    await model?.stop();
    moto?.stop();
  });

  test('"List all my ECS clusters" is answered from what moto holds; the card has no write promises', async () => {
    moto.boto('ecs.create_cluster(clusterName="a2a-cluster")');
    agent = await serve(model, {
      HOME: home, ENABLE_ECS_MCP: 'true', ECS_MCP_SERVER_PATH: ECS_SERVER,
      AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: moto.url, FASTMCP_LOG_LEVEL: 'ERROR',
    });
    const client = await A2AClient.fromCardUrl(`${agent.url}.well-known/agent-card.json`, { fetchImpl: withToken() });
    const card = await client.getAgentCard();
    assert.match(card.description, /Writes are DISABLED/);
    assert.deepEqual(card.skills.map((s) => s.id), ['ecs-deploy', 'ecs-troubleshoot', 'ecs-resources', 'ecs-documentation']);
    model.setScript([
      { tool_calls: [{ name: 'ecs_resource_management', arguments: { api_operation: 'ListClusters' } }] },
      (body) => ({ text: `Clusters: ${body.messages.at(-1).content}` }),
    ]);
    const task = resultOf(await client.sendMessage(userMessage('List all my ECS clusters')));
    assert.equal(task.status.state, 'completed');
    assert.match(textOf(task), /a2a-cluster/);
    assert.deepEqual(model.violations(), []);
  });
});
