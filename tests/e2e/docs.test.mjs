// The AWS documentation tools through the TypeScript SDK client, against fakes on loopback:
// a Knowledge MCP server answering over SSE, a recommendations API, and an endpoint that
// accepts connections and never answers. Every fake counts its requests; nothing here reaches
// the internet.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { connectClient, listAllTools, serverBinary, textOf } from './helpers.mjs';

const DOCS_TOOLS = [
  'aws_knowledge_aws___search_documentation',
  'aws_knowledge_aws___read_documentation',
  'aws_knowledge_aws___recommend',
];

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

async function startFakeDocs() {
  const fake = { requests: [], port: 0 };
  fake.server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      fake.requests.push({ method: req.method, url: req.url, body });
      if (req.url.startsWith('/recs')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ similar: { items: [{ url: 'https://docs.aws.amazon.com/s.html', assetTitle: 'S', abstract: 'Similar' }] } }));
        return;
      }
      const m = JSON.parse(body);
      const inner = { content: { result: [{ rank_order: 1, url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html', title: 'What is Amazon ECS?', context: m.params.arguments.search_phrase }] } };
      const answer = { jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: JSON.stringify(inner) }] } };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`event: message\ndata: ${JSON.stringify(answer)}\n\n`);
    });
  });
  fake.port = await listen(fake.server);
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}

describe('AWS documentation tools', () => {
  let fake;
  let session;
  before(async () => {
    fake = await startFakeDocs();
    session = await connectClient(serverBinary(), {
      env: { ECS_MCP_KNOWLEDGE_URL: fake.url, ECS_MCP_DOCS_RECOMMEND_URL: `${fake.url}/recs`, ECS_MCP_DOCS_PAGES_URL: fake.url },
    });
  });
  after(async () => {
    await session?.client.close();
    fake?.server.close();
  });

  it('lists the three tools from local schemas, making no request', async () => {
    const { tools } = await listAllTools(session.client);
    for (const name of DOCS_TOOLS) {
      const tool = tools.find((t) => t.name === name);
      assert.ok(tool, `${name} is listed`);
      assert.ok(tool.description.length <= 1024);
      assert.equal(tool.annotations.readOnlyHint, true);
      assert.equal(tool.annotations.openWorldHint, true);
    }
    assert.equal(fake.requests.length, 0);
  });

  it('searches with one bare tools/call and answers compact JSON with structuredContent', async () => {
    const result = await session.client.callTool({ name: DOCS_TOOLS[0], arguments: { search_phrase: 'fargate memory' } });
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent.results[0].title, 'What is Amazon ECS?');
    assert.equal(result.structuredContent.results[0].context, 'fargate memory');
    assert.equal(textOf(result), JSON.stringify(result.structuredContent));
    assert.equal(fake.requests.length, 1);
    assert.equal(JSON.parse(fake.requests[0].body).method, 'tools/call');
  });

  it('recommends related pages', async () => {
    const url = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html';
    const result = await session.client.callTool({ name: DOCS_TOOLS[2], arguments: { url } });
    assert.equal(result.isError, undefined, textOf(result));
    assert.deepEqual(result.structuredContent.pages, [{ group: 'similar', url: 'https://docs.aws.amazon.com/s.html', title: 'S', context: 'Similar' }]);
    assert.ok(fake.requests.at(-1).url.includes(encodeURIComponent(url)));
  });

  it('refuses a URL outside the AWS documentation without a request', async () => {
    const before = fake.requests.length;
    const result = await session.client.callTool({ name: DOCS_TOOLS[1], arguments: { url: 'https://example.com/page.html' } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /Refused/);
    assert.equal(fake.requests.length, before);
  });
});

describe('AWS documentation tools with an endpoint that never answers', () => {
  let hole;
  let sockets = [];
  let session;
  before(async () => {
    hole = createTcpServer((socket) => { sockets.push(socket); });
    const port = await listen(hole);
    session = await connectClient(serverBinary(), {
      env: { ECS_MCP_KNOWLEDGE_URL: `http://127.0.0.1:${port}`, ECS_MCP_DOCS_TIMEOUT: '2' },
    });
  });
  after(async () => {
    await session?.client.close();
    for (const s of sockets) s.destroy();
    hole?.close();
  });

  it('reports the failure within the timeout while the server keeps serving', async () => {
    const started = Date.now();
    const pending = session.client.callTool({ name: DOCS_TOOLS[0], arguments: { search_phrase: 'anything' } });
    const pingStarted = Date.now();
    await session.client.ping();
    await listAllTools(session.client);
    assert.ok(Date.now() - pingStarted < 1500, 'ping and tools/list answer while the call waits');
    const result = await pending;
    const took = Date.now() - started;
    assert.equal(result.isError, true);
    assert.match(textOf(result), /HttpTimeout/);
    assert.ok(took >= 1500 && took < 6000, `failed after ${took} ms`);
  });
});

describe('ECS_MCP_DOCS=off', () => {
  it('removes the documentation tools', async () => {
    const session = await connectClient(serverBinary(), { env: { ECS_MCP_DOCS: 'off' } });
    try {
      const { tools } = await listAllTools(session.client);
      for (const name of DOCS_TOOLS) assert.ok(!tools.some((t) => t.name === name), `${name} is gone`);
      assert.ok(tools.length > 0);
    } finally {
      await session.client.close();
    }
  });
});
