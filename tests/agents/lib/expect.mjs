// Assertions on what the scripted model was sent: the tool calls the agent made and the
// results it passed back, with messages that show the conversation when they fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

// Keeps agent frameworks off the network and off tracing services.
export function isolateProcessEnv() {
  process.env.OPENAI_API_KEY = 'test';
  for (const k of ['LANGCHAIN_TRACING_V2', 'LANGCHAIN_TRACING', 'LANGSMITH_TRACING', 'LANGSMITH_TRACING_V2']) process.env[k] = 'false';
  for (const k of ['LANGCHAIN_API_KEY', 'LANGSMITH_API_KEY', 'LANGCHAIN_ENDPOINT', 'LANGSMITH_ENDPOINT', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID',
    'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[k];
  process.env.NO_PROXY = '127.0.0.1,localhost';
  process.env.LANGCHAIN_CALLBACKS_BACKGROUND = 'false';
}

const brief = (exchanges) => exchanges.map((x, i) =>
  `  #${i} ${x.name}(${JSON.stringify(x.args)}) -> ${x.serverText.length > 600 ? `${x.serverText.slice(0, 600)}...` : x.serverText}`).join('\n');

// The tool calls and results of the conversation, checked to be exactly `names` in order.
export function exchangesOf(fake, names) {
  const violations = fake.violations();
  const exchanges = fake.toolExchanges();
  assert.deepEqual(violations, [], `the fake OpenAI endpoint refused requests (or its script went off course): ${violations.join(' | ')}\n` +
    `tool calls so far (and what the model was sent):\n${brief(exchanges)}`);
  assert.deepEqual(exchanges.map((x) => x.name), names,
    `tool calls the agent made (and what it sent back):\n${brief(exchanges)}`);
  return exchanges;
}

// A result that is the server's JSON answer (not an error text).
export function jsonResult(exchange) {
  assert.ok(exchange.value !== null && typeof exchange.value === 'object',
    `${exchange.name}(${JSON.stringify(exchange.args)}) sent the model an error or non-JSON text: ${exchange.serverText}`);
  return exchange.value;
}

// The server writes compact JSON: no pretty-printing to double the tokens the model reads.
export function assertCompact(exchange) {
  assert.ok(!/\n\s/.test(exchange.serverText),
    `${exchange.name} sent pretty-printed JSON to the model (${exchange.serverText.length} chars); compact JSON expected: ${exchange.serverText.slice(0, 200)}`);
}

// A refusal that tells the user which switch to set.
export function assertRefusedForWrite(exchange) {
  assert.ok(typeof exchange.value === 'string', `${exchange.name} was expected to be refused, but returned ${exchange.serverText.slice(0, 400)}`);
  assert.match(exchange.serverText, /requires WRITE permission/, `refusal text: ${exchange.serverText}`);
  assert.match(exchange.serverText, /ALLOW_WRITE=true/, `the refusal must name ALLOW_WRITE: ${exchange.serverText}`);
}

export const categoriesOf = (result) => (result.findings ?? []).map((f) => f.category);

// The last tool message's decoded content in a request (for turns that react to results).
export function lastToolValue(body) {
  const m = [...body.messages].reverse().find((x) => x.role === 'tool');
  if (!m) return undefined;
  const text = typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join('');
  let inner = text;
  try {
    const w = JSON.parse(text);
    if (Array.isArray(w)) inner = w.map((p) => p.text ?? '').join('\n');
    else if (w && w.type === 'text') inner = w.text;
  } catch { /* plain text */ }
  try { return JSON.parse(inner); } catch { return inner; }
}

// Server processes still running as children of this test process.
export function liveServerChildren(binary) {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch { return []; }
  return out.split('\n').map((l) => l.trim()).filter((l) => l.includes(binary));
}
