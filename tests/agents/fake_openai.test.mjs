// The scripted OpenAI-compatible endpoint itself: it refuses what OpenAI refuses, with
// OpenAI's error body, and answers scripted turns in both the JSON and the SSE forms.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { FakeOpenAI } from './lib/fake_openai.mjs';

let fake;
before(async () => { fake = await new FakeOpenAI().start(); });
after(async () => { await fake?.stop(); });

const tool = (fn) => ({ type: 'function', function: { name: 'ok_tool', description: 'd', parameters: { type: 'object', properties: {} }, ...fn } });

async function post(body, headers = {}) {
  const r = await fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test', ...headers },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() };
}

const user = [{ role: 'user', content: 'hi' }];

describe('request validation', () => {
  const cases = [
    ['a description over 1024 characters', { tools: [tool({ description: 'x'.repeat(1025) })] },
      /^Invalid 'tools\[0\]\.function\.description': string too long\. Expected a string with maximum length 1024, but got a string with length 1025 instead\.$/,
      "tools[0].function.description"],
    ['a name with a dot', { tools: [tool({ name: 'ecs.list' })] }, /tools\[0\]\.function\.name/, 'tools[0].function.name'],
    ['a name of 65 characters', { tools: [tool({ name: 'a'.repeat(65) })] }, /string does not match pattern/, 'tools[0].function.name'],
    ['parameters that are not an object schema', { tools: [tool({ parameters: { type: 'string' } })] }, /type: "object"/, 'tools[0].function.parameters'],
    ['a nested object without properties', { tools: [tool({ parameters: { type: 'object', properties: { a: { type: 'object' } } } })] },
      /object schema missing properties/, 'tools[0].function.parameters'],
    ['a tool message answering no tool call', { messages: [...user, { role: 'tool', tool_call_id: 'call_1', content: 'x' }] },
      /must be a response to a preceeding message with 'tool_calls'/, 'messages[1].role'],
    ['a tool call left unanswered', { messages: [...user, { role: 'assistant', content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ok_tool', arguments: '{}' } }] }, { role: 'user', content: 'and?' }] },
      /did not have response messages: call_1/, 'messages[2].role'],
    ['no messages', { messages: [] }, /empty array/, 'messages'],
  ];
  for (const [what, change, message, param] of cases) {
    test(`refuses ${what} with 400 and OpenAI's error body`, async () => {
      const r = await post({ model: 'gpt-4o', messages: user, ...change });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.type, 'invalid_request_error');
      assert.match(r.json.error.message, message);
      assert.equal(r.json.error.param, param);
    });
  }

  test('refuses a wrong API key with 401', async () => {
    const r = await post({ model: 'gpt-4o', messages: user }, { authorization: 'Bearer sk-real' });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'invalid_api_key');
  });
});

describe('scripted answers', () => {
  test('tool calls carry their arguments as a JSON string, then the conversation goes on', async () => {
    fake.setScript([{ tool_calls: [{ name: 'ok_tool', arguments: { limit: '5', service: null } }] }, { text: 'done' }]);
    const first = await post({ model: 'gpt-4o', messages: user, tools: [tool({})] });
    assert.equal(first.status, 200, first.text);
    const choice = first.json.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls[0];
    assert.equal(call.function.arguments, '{"limit":"5","service":null}');
    const second = await post({ model: 'gpt-4o', tools: [tool({})], messages: [...user, choice.message,
      { role: 'tool', tool_call_id: call.id, content: '{"ok":true}' }] });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.choices[0].message.content, 'done');
    assert.deepEqual(fake.toolExchanges().map((x) => [x.name, x.args, x.value]), [['ok_tool', { limit: '5', service: null }, { ok: true }]]);
  });

  test('stream: true answers server-sent chunks ending in [DONE]', async () => {
    fake.setScript([{ tool_calls: [{ name: 'ok_tool', arguments: { a: 1 } }] }]);
    const r = await post({ model: 'gpt-4o', messages: user, tools: [tool({})], stream: true });
    assert.equal(r.status, 200);
    const events = r.text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    assert.equal(events.pop(), '[DONE]');
    const chunks = events.map((e) => JSON.parse(e));
    const args = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []).map((t) => t.function?.arguments ?? '').join('');
    assert.equal(args, '{"a":1}');
    assert.equal(chunks.at(-1).choices[0].finish_reason, 'tool_calls');
  });
});
