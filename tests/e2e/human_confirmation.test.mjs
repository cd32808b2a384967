// ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true end to end, against moto_server: the official SDK
// client, over stdio and over Streamable HTTP, declares (or not) the elicitation capability and
// answers elicitation/create as a person would. Destructive ecs_resource_management operations
// and delete_ecs_infrastructure run only on an accepted, ticked form; a client without
// elicitation, a refusal and a dismissal leave the resources where they are.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import { E2E_DIR, childEnv, sdk, serverBinary, textOf } from './helpers.mjs';
import { Moto } from './lib/moto.mjs';

const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');

let moto;
let home;
let work;

before(async () => {
  moto = await Moto.start();
  home = moto.makeHome();
});
after(() => {
  moto?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await moto.reset();
  if (work) rmSync(work, { recursive: true, force: true });
  work = mkdtempSync(join(tmpdir(), 'ecs-mcp-confirm-'));
});

const serverEnv = (extra = {}) => ({
  HOME: home, AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.url, ALLOW_WRITE: 'true',
  ECS_MCP_REQUIRE_HUMAN_CONFIRMATION: 'true', ...extra,
});

// An SDK client; with `answer`, it declares elicitation and answers with answer(request).
function makeClient(answer) {
  const capabilities = answer ? { elicitation: {} } : {};
  const client = new sdk.Client({ name: 'ecs-mcp-e2e-confirm', version: '1.0.0' }, { capabilities });
  const asked = [];
  if (answer) {
    client.setRequestHandler(sdk.ElicitRequestSchema, async (request) => {
      asked.push(request.params);
      return answer(request);
    });
  }
  return { client, asked };
}

async function connectStdio(answer) {
  const { client, asked } = makeClient(answer);
  await client.connect(new sdk.StdioClientTransport({ command: serverBinary(), env: childEnv(serverEnv()), stderr: 'pipe' }));
  return { client, asked };
}

const call = (client, name, args, options) => client.callTool({ name, arguments: args }, undefined, options);
const manage = (client, api_operation, api_params) => call(client, 'ecs_resource_management', { api_operation, api_params });
const clusterStatus = (name) =>
  moto.boto(`out = [c["status"] for c in ecs.describe_clusters(clusters=["${name}"])["clusters"]]`);

const YES = { action: 'accept', content: { confirm: true } };

describe('ecs_resource_management over stdio', () => {
  test('a client without elicitation is refused a deletion, naming the variable; writes still run', async () => {
    const { client } = await connectStdio(undefined);
    try {
      const created = await manage(client, 'CreateCluster', { clusterName: 'keep-me' });
      assert.equal(created.isError, undefined, textOf(created));
      const refused = await manage(client, 'DeleteCluster', { cluster: 'keep-me' });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true/);
      assert.match(textOf(refused), /did not declare the elicitation capability/);
      assert.deepEqual(clusterStatus('keep-me'), ['ACTIVE']);
    } finally {
      await client.close();
    }
  });

  test('the person is asked; a no or a dismissal keeps the cluster, a ticked yes deletes it', async () => {
    let reply = { action: 'decline' };
    const { client, asked } = await connectStdio(() => reply);
    try {
      await manage(client, 'CreateCluster', { clusterName: 'doomed' });
      const declined = await manage(client, 'DeleteCluster', { cluster: 'doomed' });
      assert.equal(declined.isError, true);
      assert.match(textOf(declined), /The person declined operation DeleteCluster\. Nothing was done/);
      assert.equal(asked.length, 1);
      assert.match(asked[0].message, /Run DeleteCluster in us-east-1 with \{"cluster":"doomed"\}/);
      assert.deepEqual(asked[0].requestedSchema.required, ['confirm']);

      reply = { action: 'cancel' };
      assert.equal((await manage(client, 'DeleteCluster', { cluster: 'doomed' })).isError, true);
      reply = { action: 'accept', content: { confirm: false } };
      assert.equal((await manage(client, 'DeleteCluster', { cluster: 'doomed' })).isError, true);
      assert.deepEqual(clusterStatus('doomed'), ['ACTIVE']);

      reply = YES;
      const deleted = await manage(client, 'DeleteCluster', { cluster: 'doomed' });
      assert.equal(deleted.isError, undefined, textOf(deleted));
      assert.equal(asked.length, 4);
      assert.notDeepEqual(clusterStatus('doomed'), ['ACTIVE']);
    } finally {
      await client.close();
    }
  });
});

describe('over Streamable HTTP', () => {
  let server;
  before(async () => {
    const child = spawn(serverBinary(), ['--transport', 'http', '--port', '0'],
      { env: childEnv(serverEnv()), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL logged within 10 s: ${stderr}`)), 10000);
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /serving MCP over Streamable HTTP at (\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    });
    server = { child, url };
  });
  after(() => server?.child.kill('SIGTERM'));

  async function connectHttp(answer) {
    const { client, asked } = makeClient(answer);
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    return { client, asked };
  }

  test('the elicitation travels on the call\'s stream and its answer decides', async () => {
    let reply = { action: 'decline' };
    const { client, asked } = await connectHttp(() => reply);
    try {
      const created = await manage(client, 'CreateCluster', { clusterName: 'over-http' });
      assert.equal(created.isError, undefined, textOf(created));
      const declined = await manage(client, 'DeleteCluster', { cluster: 'over-http' });
      assert.equal(declined.isError, true);
      assert.deepEqual(clusterStatus('over-http'), ['ACTIVE']);
      reply = YES;
      const deleted = await manage(client, 'DeleteCluster', { cluster: 'over-http' });
      assert.equal(deleted.isError, undefined, textOf(deleted));
      assert.equal(asked.length, 2);
      assert.match(asked[1].message, /DeleteCluster/);
      assert.notDeepEqual(clusterStatus('over-http'), ['ACTIVE']);
    } finally {
      await client.close();
    }
  });

  test('an HTTP client without elicitation is refused', async () => {
    const { client } = await connectHttp(undefined);
    try {
      await manage(client, 'CreateCluster', { clusterName: 'stays' });
      const refused = await manage(client, 'DeleteCluster', { cluster: 'stays' });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /ECS_MCP_REQUIRE_HUMAN_CONFIRMATION/);
      assert.deepEqual(clusterStatus('stays'), ['ACTIVE']);
    } finally {
      await client.close();
    }
  });
});

describe('delete_ecs_infrastructure', () => {
  test('takes no confirmation token, only the person\'s yes', async () => {
    const dir = join(work, 'site');
    cpSync(join(E2E_DIR, '..', 'fixtures', 'apps', 'static-site'), dir, { recursive: true });
    const network = moto.boto(`
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
out = {"vpc_id": vpc, "subnet_ids": subnets}`);
    const paths = {
      app_name: 'site',
      ecr_template_path: join(dir, 'cloudformation-templates', 'site-ecr-infrastructure.json'),
      ecs_template_path: join(dir, 'cloudformation-templates', 'site-ecs-infrastructure.json'),
    };
    const stacksLeft = () =>
      moto.boto('out = len([s for s in cfn.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"])');

    const plain = await connectStdio(undefined);
    try {
      const created = await call(plain.client, 'create_ecs_infrastructure', {
        app_name: 'site', app_path: dir, force_deploy: true, ...network, image_uri: 'public.ecr.aws/nginx/nginx:1.30' });
      assert.equal(created.isError, undefined, textOf(created));
      const refused = await call(plain.client, 'delete_ecs_infrastructure', paths);
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true/);
      assert.doesNotMatch(textOf(refused), /confirmation_token/);
      const withToken = await call(plain.client, 'delete_ecs_infrastructure', { ...paths, confirmation_token: '9999999999.abc' });
      assert.equal(withToken.isError, true);
      assert.equal(stacksLeft(), 2);
    } finally {
      await plain.client.close();
    }

    const person = await connectStdio(() => YES);
    try {
      const deleted = await call(person.client, 'delete_ecs_infrastructure', paths, { timeout: 120000 });
      assert.equal(deleted.isError, undefined, textOf(deleted));
      assert.equal(deleted.structuredContent.phase, 'deleted');
      assert.equal(person.asked.length, 1);
      assert.equal(stacksLeft(), 0);
    } finally {
      await person.client.close();
    }
  });
});
