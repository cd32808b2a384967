// A scripted stand-in for an OpenAI-compatible Chat Completions endpoint, on loopback only.
//
// It checks every request the way the real API does before "thinking": the tool list (name
// pattern, description length, parameters schema) and the conversation (roles, tool results
// answering the assistant's tool calls). A violation gets HTTP 400 with OpenAI's error body,
// so an agent framework fails exactly as it would against the real service. Otherwise it
// answers with the next turn of its script: tool calls (arguments serialized to a JSON string,
// as OpenAI sends them) or a final text. Every request is recorded, with what was wrong with it.
import { createServer } from 'node:http';

export const MAX_DESCRIPTION = 1024;
export const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

class RequestError extends Error {
  constructor(message, param = null, code = null) {
    super(message);
    this.param = param;
    this.code = code;
  }
}

// Every `type: object` schema reachable from `schema` must declare `properties`; returns the
// JSON-pointer-ish path of the first one that does not.
function objectWithoutProperties(schema, path) {
  if (schema === null || typeof schema !== 'object') return null;
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) {
      const bad = objectWithoutProperties(schema[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object') && (schema.properties === null || typeof schema.properties !== 'object')) return path;
  for (const [key, sub] of Object.entries(schema)) {
    if (key === 'properties' && sub && typeof sub === 'object') {
      for (const [prop, propSchema] of Object.entries(sub)) {
        const bad = objectWithoutProperties(propSchema, `${path}.properties.${prop}`);
        if (bad) return bad;
      }
    } else if (['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not', '$defs', 'definitions'].includes(key)) {
      if (key === '$defs' || key === 'definitions') {
        for (const [name, def] of Object.entries(sub ?? {})) {
          const bad = objectWithoutProperties(def, `${path}.${key}.${name}`);
          if (bad) return bad;
        }
      } else {
        const bad = objectWithoutProperties(sub, `${path}.${key}`);
        if (bad) return bad;
      }
    }
  }
  return null;
}

export function validateTools(tools, maxDescription = MAX_DESCRIPTION) {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) throw new RequestError("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  const seen = new Set();
  tools.forEach((tool, i) => {
    const at = `tools[${i}]`;
    if (tool?.type !== 'function') {
      throw new RequestError(`Invalid value for '${at}.type': expected 'function'.`, `${at}.type`, 'invalid_value');
    }
    const fn = tool.function;
    if (fn === null || typeof fn !== 'object') {
      throw new RequestError(`Missing required parameter: '${at}.function'.`, `${at}.function`, 'missing_required_parameter');
    }
    if (typeof fn.name !== 'string' || !NAME_PATTERN.test(fn.name)) {
      throw new RequestError(
        `Invalid '${at}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' with length 1-64.`,
        `${at}.function.name`, 'invalid_value');
    }
    if (seen.has(fn.name)) {
      throw new RequestError(`Invalid 'tools': duplicate function name '${fn.name}'.`, 'tools', 'invalid_value');
    }
    seen.add(fn.name);
    if (fn.description !== undefined) {
      if (typeof fn.description !== 'string') {
        throw new RequestError(`Invalid type for '${at}.function.description': expected a string.`, `${at}.function.description`, 'invalid_type');
      }
      if (fn.description.length > maxDescription) {
        throw new RequestError(
          `Invalid '${at}.function.description': string too long. Expected a string with maximum length ${maxDescription}, but got a string with length ${fn.description.length} instead.`,
          `${at}.function.description`, 'string_above_max_length');
      }
    }
    if (fn.parameters !== undefined) {
      const p = fn.parameters;
      if (p === null || typeof p !== 'object' || Array.isArray(p) || p.type !== 'object') {
        throw new RequestError(
          `Invalid schema for function '${fn.name}': schema must be a JSON Schema of 'type: "object"', got 'type: "${p?.type}"'.`,
          `${at}.function.parameters`, 'invalid_function_parameters');
      }
      const bad = objectWithoutProperties(p, 'parameters');
      if (bad) {
        throw new RequestError(
          `Invalid schema for function '${fn.name}': In context=${bad}, object schema missing properties.`,
          `${at}.function.parameters`, 'invalid_function_parameters');
      }
    }
  });
}

function validateMessages(messages) {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new RequestError("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array');
  }
  const answered = new Map();  // tool_call_id -> answered?
  let pending = null;  // ids of the last assistant tool_calls still waiting for tool messages
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (m === null || typeof m !== 'object') throw new RequestError(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(m.role)) {
      throw new RequestError(`Invalid value: '${m.role}'. Supported values are: 'system', 'assistant', 'user', 'tool', 'function', and 'developer'.`, `${at}.role`, 'invalid_value');
    }
    if (pending && pending.size > 0 && m.role !== 'tool') {
      throw new RequestError(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
        `${at}.role`, null);
    }
    if (m.role === 'assistant') {
      if (m.tool_calls !== undefined && m.tool_calls !== null) {
        if (!Array.isArray(m.tool_calls) || m.tool_calls.length === 0) {
          throw new RequestError(`Invalid '${at}.tool_calls': empty array. Expected an array with minimum length 1.`, `${at}.tool_calls`, 'empty_array');
        }
        pending = new Set();
        m.tool_calls.forEach((c, j) => {
          if (typeof c?.id !== 'string' || c.type !== 'function' || typeof c.function?.name !== 'string' || typeof c.function?.arguments !== 'string') {
            throw new RequestError(`Invalid '${at}.tool_calls[${j}]': expected {id, type: 'function', function: {name, arguments: string}}.`, `${at}.tool_calls[${j}]`, 'invalid_value');
          }
          pending.add(c.id);
          answered.set(c.id, false);
        });
      } else if (m.content === undefined || m.content === null) {
        // Allowed by the API only with tool_calls (or a refusal/audio, which we never send).
        throw new RequestError(`Invalid value for '${at}.content': expected a string, got null.`, `${at}.content`, 'invalid_value');
      }
    } else if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string') {
        throw new RequestError(`Missing required parameter: '${at}.tool_call_id'.`, `${at}.tool_call_id`, 'missing_required_parameter');
      }
      if (!pending || !pending.has(m.tool_call_id)) {
        throw new RequestError(
          `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`,
          `${at}.role`, null);
      }
      pending.delete(m.tool_call_id);
      answered.set(m.tool_call_id, true);
      if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
        throw new RequestError(`Invalid type for '${at}.content': expected one of a string or array of objects.`, `${at}.content`, 'invalid_type');
      }
    } else if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
      throw new RequestError(`Invalid type for '${at}.content': expected one of a string or array of objects.`, `${at}.content`, 'invalid_type');
    }
  });
  if (pending && pending.size > 0) {
    throw new RequestError(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
      'messages', null);
  }
}

// The text of a tool message as the model reads it.
export function messageText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : p?.text ?? JSON.stringify(p))).join('');
  return JSON.stringify(content);
}

// What the server itself wrote, out of the wrapper an adapter put around it: LangChain's
// JSON.stringify({type: "text", text, structuredContent}), the AI SDK's [{type: "text", text}],
// or the plain text.
export function serverText(text) {
  let wrapped;
  try { wrapped = JSON.parse(text); } catch { return text; }
  if (Array.isArray(wrapped) && wrapped.every((p) => p?.type === 'text' && typeof p.text === 'string')) {
    return wrapped.map((p) => p.text).join('\n');
  }
  if (wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped) && wrapped.type === 'text' && typeof wrapped.text === 'string') {
    return wrapped.text;
  }
  return text;
}

// The server's answer as a value when it is JSON, else its text.
export function decodeToolContent(text) {
  const inner = serverText(text);
  try { return JSON.parse(inner); } catch { return inner; }
}

let idCounter = 0;
const newId = (prefix) => `${prefix}_${Date.now().toString(36)}${(idCounter++).toString(36).padStart(4, '0')}`;

export class FakeOpenAI {
  // script: turns in order. A turn is { text } or { tool_calls: [{ name, arguments }] } or a
  // function (request body, this) returning one of those, for turns that depend on what the
  // tools returned.
  constructor(script = [], { maxDescription = MAX_DESCRIPTION } = {}) {
    this.script = [...script];
    this.maxDescription = maxDescription;
    this.requests = [];  // { body, error? }
    this.server = null;
    this.url = null;
  }

  setScript(script) { this.script = [...script]; }

  async start() {
    this.server = createServer((req, res) => this.#handle(req, res));
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${this.server.address().port}/v1`;
    return this;
  }

  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(() => resolve()));
    this.server = null;
  }

  #send(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': newId('req') });
    res.end(text);
  }

  #error(res, status, err, type = 'invalid_request_error') {
    this.#send(res, status, { error: { message: err.message, type, param: err.param ?? null, code: err.code ?? null } });
  }

  async #handle(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      const record = { path, method: req.method, error: `unexpected ${req.method} ${path}` };
      this.requests.push(record);
      this.#error(res, 404, new RequestError(`Invalid URL (${req.method} ${path})`), 'invalid_request_error');
      return;
    }
    if (req.headers.authorization !== 'Bearer test') {
      this.requests.push({ path, error: 'bad Authorization header' });
      this.#error(res, 401, new RequestError('Incorrect API key provided.', null, 'invalid_api_key'));
      return;
    }
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      this.requests.push({ path, raw, error: 'body is not JSON' });
      this.#error(res, 400, new RequestError('We could not parse the JSON body of your request.'));
      return;
    }
    const record = { path, body };
    this.requests.push(record);
    try {
      if (typeof body.model !== 'string' || body.model.length === 0) {
        throw new RequestError("you must provide a model parameter", 'model', 'missing_required_parameter');
      }
      validateTools(body.tools, this.maxDescription);
      validateMessages(body.messages);
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      record.error = err.message;
      this.#error(res, 400, err);
      return;
    }

    let turn = this.script.shift();
    if (typeof turn === 'function') {
      try {
        turn = turn(body, this);
      } catch (err) {
        // The conversation did not go as scripted (a tool answered something unexpected):
        // end it with a text so the test can show what the tools returned.
        record.error = `the scripted turn could not use the last tool result: ${err.message}`;
        turn = { text: `(script stopped: ${err.message})` };
      }
    }
    if (turn === undefined) {
      record.error = 'the script has no turn left';
      turn = { text: 'The fake model has no scripted turn left.' };
    }
    const created = Math.floor(Date.now() / 1000);
    const id = newId('chatcmpl');
    const toolCalls = (turn.tool_calls ?? []).map((c) => ({
      id: c.id ?? newId('call'),
      type: 'function',
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}) },
    }));
    const message = toolCalls.length > 0
      ? { role: 'assistant', content: null, tool_calls: toolCalls, refusal: null }
      : { role: 'assistant', content: turn.text ?? '', refusal: null };
    const finish = toolCalls.length > 0 ? 'tool_calls' : 'stop';
    record.reply = message;
    const usage = { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: 10, total_tokens: Math.ceil(raw.length / 4) + 10 };

    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const chunk = (delta, finishReason = null, extra = {}) => `data: ${JSON.stringify({
        id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_fake',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra })}\n\n`;
      res.write(chunk({ role: 'assistant', content: toolCalls.length > 0 ? null : '', refusal: null }));
      if (toolCalls.length > 0) {
        toolCalls.forEach((c, index) => {
          res.write(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] }));
          const args = c.function.arguments;
          const half = Math.ceil(args.length / 2);
          for (const part of [args.slice(0, half), args.slice(half)]) {
            if (part) res.write(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
          }
        });
      } else {
        const words = message.content.split(/(?<= )/);
        for (const w of words) res.write(chunk({ content: w }));
      }
      res.write(chunk({}, finish));
      if (body.stream_options?.include_usage) {
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
      }
      res.end('data: [DONE]\n\n');
      return;
    }
    this.#send(res, 200, {
      id, object: 'chat.completion', created, model: body.model, system_fingerprint: 'fp_fake',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage,
    });
  }

  // Requests the fake refused, with why.
  violations() { return this.requests.filter((r) => r.error).map((r) => r.error); }

  // The tool calls the model made and the results it was sent back for them, in order, taken
  // from the conversation in the last request.
  toolExchanges() {
    const last = [...this.requests].reverse().find((r) => r.body?.messages);
    if (!last) return [];
    const calls = new Map();
    const out = [];
    for (const m of last.body.messages) {
      if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
        for (const c of m.tool_calls) {
          let args;
          try { args = JSON.parse(c.function.arguments); } catch { args = c.function.arguments; }
          calls.set(c.id, { id: c.id, name: c.function.name, args });
        }
      } else if (m.role === 'tool') {
        const call = calls.get(m.tool_call_id) ?? { id: m.tool_call_id };
        const text = messageText(m.content);
        out.push({ ...call, text, serverText: serverText(text), value: decodeToolContent(text) });
      }
    }
    return out;
  }

  // The tool definitions the model was offered in the first request.
  offeredTools() {
    const first = this.requests.find((r) => r.body?.tools);
    return first ? first.body.tools.map((t) => t.function) : [];
  }
}
