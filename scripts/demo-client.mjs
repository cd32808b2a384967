// Drives ecs-mcp-server through the official MCP TypeScript SDK, the way an assistant would:
// spawn it over stdio with a stripped environment, initialize, list the tools, call them.
// Usage: node scripts/demo-client.mjs <server-binary> [--call TOOL JSON_ARGS]...
//   --call-with-token TOOL JSON_ARGS   as --call, adding the confirmation_token that the
//                                      previous call returned (a destructive tool's preview)
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromE2e = createRequire(resolve(root, 'tests/e2e/package.json'));
const load = (name) => import(pathToFileURL(requireFromE2e.resolve(name)).href);
const { Client } = await load('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = await load('@modelcontextprotocol/sdk/client/stdio.js');

const [binary, ...rest] = process.argv.slice(2);
if (!binary) {
  console.error('usage: demo-client.mjs <server-binary> [--call|--call-with-token TOOL JSON_ARGS]...');
  process.exit(2);
}
const calls = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--call' || rest[i] === '--call-with-token') {
    calls.push({ name: rest[i + 1], args: JSON.parse(rest[i + 2] ?? '{}'), withToken: rest[i] !== '--call' });
    i += 2;
  }
}

// Platform agents pass only a handful of variables; so does this demo.
const env = {};
for (const name of ['HOME', 'PATH', 'AWS_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL', 'ALLOW_WRITE', 'ALLOW_SENSITIVE_DATA']) {
  if (process.env[name] !== undefined) env[name] = process.env[name];
}

const transport = new StdioClientTransport({ command: binary, args: [], env, stderr: 'pipe' });
let serverLog = '';
transport.stderr?.on('data', (chunk) => { serverLog += chunk; });
const client = new Client({ name: 'ecs-mcp-demo', version: '1.0.0' });
const started = performance.now();
await client.connect(transport);
const info = client.getServerVersion();
console.log(`connected to ${info.name} ${info.version} ("${info.title}") in ` +
  `${(performance.now() - started).toFixed(1)} ms`);
console.log('\n--- instructions ---\n' + client.getInstructions());

const { tools } = await client.listTools();
console.log(`--- ${tools.length} tool(s) ---`);
for (const t of tools) {
  const a = t.annotations ?? {};
  console.log(`${t.name}: ${t.title} [readOnly=${a.readOnlyHint} destructive=${a.destructiveHint}]`);
}

await client.ping();
console.log('\nping: ok');

let previous;
for (const { name, args: given, withToken } of calls) {
  const args = { ...given };
  if (withToken) {
    const token = previous?.structuredContent?.confirmation_token;
    if (!token) {
      console.error(`--call-with-token ${name}: the previous call returned no confirmation_token`);
      process.exit(1);
    }
    args.confirmation_token = token;
  }
  console.log(`\n--- ${name} ${JSON.stringify(args)} ---`);
  // Long-running tools report progress; print it as it comes.
  const onprogress = ({ progress, total, message }) =>
    console.log(`  [progress ${progress.toFixed(1)}${total ? '/' + total : ''}] ${message ?? ''}`);
  const result = await client.callTool({ name, arguments: args }, undefined, { onprogress, timeout: 600000 });
  if (result.isError) console.log('(isError)');
  for (const block of result.content ?? []) {
    if (block.type === 'text') console.log(readable(block.text));
  }
  previous = result;
}

// Tool text is compact JSON (what a model reads); people watching the demo get it indented.
function readable(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

try {
  await client.callTool({ name: 'no_such_tool', arguments: {} });
} catch (e) {
  console.log(`\nan unknown tool is refused by the protocol: ${e.message}`);
}
await client.close();
console.log('\n--- server log (stderr) ---\n' + serverLog.trimEnd());
