// The limits agent platforms put on tools, checked on the real tools/list in all four
// ALLOW_WRITE x ALLOW_SENSITIVE_DATA configurations: OpenAI's (description at most 1024
// characters, name pattern, parameters an object schema), short names that leave room for a
// client's server prefix, `properties` on every object schema (some clients drop tools
// without), and a type on every output-schema property (the Inspector's --strict check).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { MAX_DESCRIPTION, NAME_PATTERN, validateTools } from './lib/fake_openai.mjs';
import { REGION, makeHome, removeDir, serverBinary } from './lib/aws_world.mjs';

const MAX_NAME = 40;
let home;

before(() => { home = makeHome(); });
after(() => removeDir(home));

async function listTools(write, sensitive) {
  const transport = new StdioClientTransport({
    command: serverBinary(),
    args: [],
    env: { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_REGION: REGION,
      ALLOW_WRITE: String(write), ALLOW_SENSITIVE_DATA: String(sensitive) },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'ecs-mcp-agents-limits', version: '1.0.0' });
  await client.connect(transport);
  try {
    const tools = [];
    let cursor;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  } finally {
    await client.close();
  }
}

// Every sub-schema of `schema` with its path.
function* subschemas(schema, path) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  yield [schema, path];
  for (const [name, sub] of Object.entries(schema.properties ?? {})) yield* subschemas(sub, `${path}.properties.${name}`);
  for (const [name, sub] of Object.entries(schema.$defs ?? schema.definitions ?? {})) yield* subschemas(sub, `${path}.$defs.${name}`);
  if (Array.isArray(schema.items)) {
    for (let i = 0; i < schema.items.length; i++) yield* subschemas(schema.items[i], `${path}.items[${i}]`);
  } else {
    yield* subschemas(schema.items, `${path}.items`);
  }
  if (typeof schema.additionalProperties === 'object') yield* subschemas(schema.additionalProperties, `${path}.additionalProperties`);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    for (let i = 0; i < (schema[key] ?? []).length; i++) yield* subschemas(schema[key][i], `${path}.${key}[${i}]`);
  }
}

const isObjectSchema = (s) => s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
const hasType = (s) => s.type !== undefined || s.$ref !== undefined ||
  ['anyOf', 'oneOf'].some((k) => Array.isArray(s[k]) && s[k].length > 0 && s[k].every((m) => m.type !== undefined || m.$ref !== undefined));

function objectsWithoutProperties(schema, root) {
  return [...subschemas(schema, root)].filter(([s]) => isObjectSchema(s) && (s.properties === null || typeof s.properties !== 'object')).map(([, p]) => p);
}

function untypedProperties(schema, root) {
  const out = [];
  for (const [s, path] of subschemas(schema, root)) {
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      if (!hasType(prop)) out.push(`${path}.properties.${name}`);
    }
  }
  return out;
}

const EXPECTED_TOOLS = ['aws_knowledge_aws___read_documentation', 'aws_knowledge_aws___recommend',
  'aws_knowledge_aws___search_documentation', 'containerize_app', 'create_ecs_infrastructure', 'delete_ecs_infrastructure',
  'ecs_resource_management', 'ecs_troubleshooting_tool', 'get_deployment_status'];

for (const write of [false, true]) {
  for (const sensitive of [false, true]) {
    describe(`tools/list with ALLOW_WRITE=${write} ALLOW_SENSITIVE_DATA=${sensitive}`, () => {
      let tools;
      before(async () => { tools = await listTools(write, sensitive); });

      test('lists every tool', () => {
        assert.deepEqual(tools.map((t) => t.name).sort(), EXPECTED_TOOLS);
      });

      test(`descriptions are at most ${MAX_DESCRIPTION} characters`, () => {
        const long = tools.filter((t) => (t.description ?? '').length > MAX_DESCRIPTION).map((t) => `${t.name}: ${t.description.length}`);
        assert.deepEqual(long, [], `descriptions longer than ${MAX_DESCRIPTION} characters`);
      });

      test(`names match ${NAME_PATTERN} and are at most ${MAX_NAME} characters`, () => {
        for (const t of tools) {
          assert.match(t.name, NAME_PATTERN);
          assert.ok(t.name.length <= MAX_NAME, `${t.name} is ${t.name.length} characters`);
        }
      });

      test('every object schema, input and output, declares properties', () => {
        const bad = tools.flatMap((t) => [
          ...objectsWithoutProperties(t.inputSchema, `${t.name}.inputSchema`),
          ...(t.outputSchema ? objectsWithoutProperties(t.outputSchema, `${t.name}.outputSchema`) : []),
        ]);
        assert.deepEqual(bad, [], 'object schemas without properties');
        for (const t of tools) assert.equal(t.inputSchema.type, 'object', `${t.name}.inputSchema`);
      });

      test('every output-schema property has a type', () => {
        const bad = tools.flatMap((t) => (t.outputSchema ? untypedProperties(t.outputSchema, `${t.name}.outputSchema`) : []));
        assert.deepEqual(bad, [], 'output-schema properties without a type');
      });

      test('the tools as an OpenAI request passes its validation', () => {
        const openAiTools = tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } }));
        try {
          validateTools(openAiTools);
        } catch (err) {
          assert.fail(`OpenAI would answer 400: ${err.message}`);
        }
      });
    });
  }
}
