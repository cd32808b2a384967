// The deployment tools end to end: the official SDK client drives the real server against a
// real AWS emulator (moto_server): containerize a sample app (its Dockerfile checked by the
// dockerfile-utils linter), create the infrastructure (templates only, then force_deploy with
// an existing image), follow it with get_deployment_status, and delete it through the
// preview + confirmation-token flow. Refusals without ALLOW_WRITE are checked too.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createRequire } from 'node:module';

import { E2E_DIR, childEnv, connectClient, sdk, serverBinary, textOf } from './helpers.mjs';
import { Moto } from './lib/moto.mjs';

const require = createRequire(import.meta.url);
let dockerfileUtils;
try {
  dockerfileUtils = require('dockerfile-utils');
} catch {
  throw new Error('tests/e2e/node_modules lacks dockerfile-utils: run `npm ci --prefix tests/e2e` (scripts/setup does)');
}

const APPS = join(E2E_DIR, '..', 'fixtures', 'apps');
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
  work = mkdtempSync(join(tmpdir(), 'ecs-mcp-deploy-'));
});

async function connect(extra = {}) {
  return connectClient(serverBinary(), {
    env: { HOME: home, AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.url, ...extra },
  });
}

function copyApp(name) {
  const dst = join(work, name);
  cpSync(join(APPS, name), dst, { recursive: true });
  return dst;
}

// The default VPC and two of its subnets. Stacks in an existing VPC are used for the full
// create -> delete cycle: moto deletes a stack's resources without ordering them, so a stack
// that made its own VPC cannot be deleted there (DependencyViolation), unlike in AWS.
function defaultNetwork() {
  return moto.boto(`
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
out = {"vpc_id": vpc, "subnet_ids": subnets}`);
}

const call = (client, name, args, options) => client.callTool({ name, arguments: args }, undefined, options);

describe('containerize_app', () => {
  for (const app of ['node-express', 'node-nextjs', 'node-nestjs', 'python-flask', 'python-django', 'python-fastapi',
    'python-poetry', 'go-service', 'java-spring-maven', 'java-gradle', 'ruby-rails', 'dotnet-web', 'static-site',
    'static-vite']) {
    test(`${app}: the generated Dockerfile passes dockerfile-utils with no diagnostics`, async () => {
      const { client } = await connect();
      try {
        const dir = copyApp(app);
        const r = await call(client, 'containerize_app', { app_path: dir, write_files: true });
        assert.equal(r.isError, undefined, textOf(r));
        const s = r.structuredContent;
        assert.equal(s.dockerfile.status, 'written');
        const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
        assert.equal(text, s.dockerfile.content);
        assert.ok(existsSync(join(dir, '.dockerignore')));
        const diagnostics = dockerfileUtils.validate(text);
        assert.deepEqual(diagnostics.map((d) => `${d.code}: ${d.message} (line ${d.range.start.line + 1})`), []);
      } finally {
        await client.close();
      }
    });
  }

  test('works without ALLOW_WRITE (a local file, no AWS change) and refuses sensitive paths', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'false' });
    try {
      const dir = copyApp('python-flask');
      const ok = await call(client, 'containerize_app', { app_path: dir, write_files: true });
      assert.equal(ok.isError, undefined, textOf(ok));
      const refused = await call(client, 'containerize_app', { app_path: join(home, '.aws') });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /refusing/);
    } finally {
      await client.close();
    }
  });
});

describe('create -> status -> delete against moto_server', () => {
  test('without ALLOW_WRITE: templates only; force_deploy and delete are refused', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'false' });
    try {
      const dir = copyApp('node-express');
      const t = await call(client, 'create_ecs_infrastructure', { app_name: 'shop', app_path: dir });
      assert.equal(t.isError, undefined, textOf(t));
      assert.equal(t.structuredContent.deployed, false);
      assert.ok(existsSync(join(dir, 'cloudformation-templates', 'shop-ecs-infrastructure.json')));
      const d = await call(client, 'create_ecs_infrastructure', { app_name: 'shop', app_path: dir, force_deploy: true });
      assert.equal(d.isError, true);
      assert.match(textOf(d), /requires WRITE permission.*ALLOW_WRITE=true/s);
      const del = await call(client, 'delete_ecs_infrastructure', {
        app_name: 'shop',
        ecr_template_path: join(dir, 'cloudformation-templates', 'shop-ecr-infrastructure.json'),
        ecs_template_path: join(dir, 'cloudformation-templates', 'shop-ecs-infrastructure.json'),
      });
      assert.equal(del.isError, true);
      assert.match(textOf(del), /ALLOW_WRITE=true/);
      const stacks = moto.boto('out = [s["StackName"] for s in cfn.describe_stacks()["Stacks"]]');
      assert.deepEqual(stacks, []);
    } finally {
      await client.close();
    }
  });

  test('deploys with progress, reports status with the URL, and deletes only after confirmation', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'true' });
    try {
      const dir = copyApp('node-express');
      const net = defaultNetwork();
      const progress = [];
      const created = await call(client, 'create_ecs_infrastructure', {
        app_name: 'shop', app_path: dir, force_deploy: true, ...net,
        image_uri: 'public.ecr.aws/nginx/nginx:1.27', container_port: 80,
        enable_auto_scaling: true, min_capacity: 1, max_capacity: 3,
      }, { onprogress: (p) => progress.push(p), timeout: 120000 });
      assert.equal(created.isError, undefined, textOf(created));
      const c = created.structuredContent;
      assert.equal(c.deployed, true);
      assert.deepEqual(c.stacks.map((s) => [s.stack_name, s.action, s.status]), [
        ['shop-ecr-infrastructure', 'created', 'CREATE_COMPLETE'],
        ['shop-ecs-infrastructure', 'created', 'CREATE_COMPLETE'],
      ]);
      assert.match(c.load_balancer_url, /^http:\/\/.+/);
      assert.ok(progress.length >= 3, `progress notifications: ${JSON.stringify(progress)}`);
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress);

      // What exists in the emulator, checked independently with boto3: tagged stacks and resources.
      const world = moto.boto(`
stacks = {s["StackName"]: {t["Key"]: t["Value"] for t in s.get("Tags", [])} for s in cfn.describe_stacks()["Stacks"]}
params = {p["ParameterKey"]: p["ParameterValue"] for p in cfn.describe_stacks(StackName="shop-ecs-infrastructure")["Stacks"][0]["Parameters"]}
out = {"stacks": stacks, "clusters": ecs.list_clusters()["clusterArns"], "repos": [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]],
       "lbs": len(elbv2.describe_load_balancers()["LoadBalancers"]), "image": params["ImageUri"]}`);
      assert.equal(world.stacks['shop-ecs-infrastructure']['ecs-mcp:managed-by'], 'ecs-mcp');
      assert.equal(world.stacks['shop-ecs-infrastructure']['ecs-mcp:app'], 'shop');
      assert.equal(world.stacks['shop-ecr-infrastructure']['ecs-mcp:component'], 'ecr');
      assert.ok(world.clusters.some((a) => a.endsWith('/shop-cluster')), JSON.stringify(world.clusters));
      assert.deepEqual(world.repos, ['shop']);
      assert.equal(world.lbs, 1);
      assert.equal(world.image, 'public.ecr.aws/nginx/nginx:1.27');

      // A second deploy with nothing changed updates nothing.
      const again = await call(client, 'create_ecs_infrastructure', {
        app_name: 'shop', app_path: dir, force_deploy: true, ...net,
        image_uri: 'public.ecr.aws/nginx/nginx:1.27', container_port: 80,
        enable_auto_scaling: true, min_capacity: 1, max_capacity: 3,
      });
      assert.equal(again.isError, undefined, textOf(again));

      const status = await call(client, 'get_deployment_status', { app_name: 'shop' });
      assert.equal(status.isError, undefined, textOf(status));
      const st = status.structuredContent;
      assert.equal(st.stack.status, st.stack.status.startsWith('UPDATE') ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE');
      assert.equal(st.load_balancer_url, c.load_balancer_url);
      assert.ok(['COMPLETE', 'IN_PROGRESS'].includes(st.verdict), JSON.stringify(st));
      assert.equal(st.service.name, 'shop-service');
      assert.ok(st.reason.length > 0 && st.next_step.length > 0);

      const missing = await call(client, 'get_deployment_status', { app_name: 'nothing-here' });
      assert.equal(missing.structuredContent.verdict, 'NOT_FOUND');

      // Delete: a preview first, then only with the token.
      const paths = {
        app_name: 'shop',
        ecr_template_path: join(dir, 'cloudformation-templates', 'shop-ecr-infrastructure.json'),
        ecs_template_path: join(dir, 'cloudformation-templates', 'shop-ecs-infrastructure.json'),
      };
      const preview = await call(client, 'delete_ecs_infrastructure', paths);
      assert.equal(preview.isError, undefined, textOf(preview));
      const p = preview.structuredContent;
      assert.equal(p.phase, 'preview');
      assert.deepEqual(p.stacks.map((s) => s.stack_name), ['shop-ecs-infrastructure', 'shop-ecr-infrastructure']);
      assert.match(p.message, /PREVIEW/);
      assert.equal(moto.boto('out = len(cfn.describe_stacks()["Stacks"])'), 2, 'the preview deletes nothing');

      const forged = await call(client, 'delete_ecs_infrastructure', { ...paths, confirmation_token: `${Math.floor(Date.now() / 1000) + 600}.${'0'.repeat(64)}` });
      assert.equal(forged.isError, true);
      assert.match(textOf(forged), /does not match/);
      assert.equal(moto.boto('out = len(cfn.describe_stacks()["Stacks"])'), 2);

      const deleted = await call(client, 'delete_ecs_infrastructure', { ...paths, confirmation_token: p.confirmation_token });
      assert.equal(deleted.isError, undefined, textOf(deleted));
      assert.equal(deleted.structuredContent.phase, 'deleted');
      const left = moto.boto('out = [s["StackName"] for s in cfn.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"]');
      assert.deepEqual(left, []);

      const after = await call(client, 'get_deployment_status', { app_name: 'shop' });
      assert.equal(after.structuredContent.verdict, 'NOT_FOUND');
    } finally {
      await client.close();
    }
  });

  test('the token from a preview works in a new server process (one process per call)', async () => {
    const dir = copyApp('python-flask');
    const args = { app_name: 'flask-app', app_path: dir, force_deploy: true, ...defaultNetwork(),
      image_uri: 'public.ecr.aws/docker/library/python:3.12' };
    const first = await connect({ ALLOW_WRITE: 'true' });
    let token;
    const paths = {
      app_name: 'flask-app',
      ecr_template_path: join(dir, 'cloudformation-templates', 'flask-app-ecr-infrastructure.json'),
      ecs_template_path: join(dir, 'cloudformation-templates', 'flask-app-ecs-infrastructure.json'),
    };
    try {
      const created = await call(first.client, 'create_ecs_infrastructure', args);
      assert.equal(created.isError, undefined, textOf(created));
      const preview = await call(first.client, 'delete_ecs_infrastructure', paths);
      token = preview.structuredContent.confirmation_token;
      assert.ok(token);
    } finally {
      await first.client.close();
    }
    const second = await connect({ ALLOW_WRITE: 'true' });
    try {
      const deleted = await call(second.client, 'delete_ecs_infrastructure', { ...paths, confirmation_token: token });
      assert.equal(deleted.isError, undefined, textOf(deleted));
      assert.equal(deleted.structuredContent.phase, 'deleted');
    } finally {
      await second.client.close();
    }
  });

  test('without vpc_id a new VPC with two public subnets is created', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'true' });
    try {
      const dir = copyApp('python-fastapi');
      const created = await call(client, 'create_ecs_infrastructure', {
        app_name: 'api', app_path: dir, force_deploy: true, image_uri: 'public.ecr.aws/nginx/nginx:1.27' });
      assert.equal(created.isError, undefined, textOf(created));
      const ecs = created.structuredContent.stacks[1];
      assert.equal(ecs.outputs.VpcId.startsWith('vpc-'), true);
      const world = moto.boto(`
vpc = ${JSON.stringify(ecs.outputs.VpcId)}
out = {"default": ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["IsDefault"],
       "subnets": len(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]),
       "port": [p["ParameterValue"] for p in cfn.describe_stacks(StackName="api-ecs-infrastructure")["Stacks"][0]["Parameters"] if p["ParameterKey"] == "ContainerPort"][0]}`);
      assert.deepEqual(world, { default: false, subnets: 2, port: '8000' });
    } finally {
      await client.close();
    }
  });

  test('refuses to delete stacks it did not create or whose template differs', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'true' });
    try {
      const dir = copyApp('go-service');
      const created = await call(client, 'create_ecs_infrastructure', {
        app_name: 'api', app_path: dir, force_deploy: true, ...defaultNetwork(), image_uri: 'public.ecr.aws/nginx/nginx:1.27' });
      assert.equal(created.isError, undefined, textOf(created));
      const tdir = join(dir, 'cloudformation-templates');
      // The ECR template passed as the ECS one: the deployed template differs.
      const mismatch = await call(client, 'delete_ecs_infrastructure', {
        app_name: 'api', ecr_template_path: join(tdir, 'api-ecr-infrastructure.json'),
        ecs_template_path: join(tdir, 'api-ecr-infrastructure.json') });
      assert.equal(mismatch.isError, true);
      assert.match(textOf(mismatch), /differs/);

      // A stack of the same name made by someone else.
      moto.boto(`cfn.create_stack(StackName="other-ecr-infrastructure", TemplateBody=open(${JSON.stringify(join(tdir, 'api-ecr-infrastructure.json'))}).read(), Parameters=[{"ParameterKey": "AppName", "ParameterValue": "other"}])`);
      const notOurs = await call(client, 'delete_ecs_infrastructure', {
        app_name: 'other', ecr_template_path: join(tdir, 'api-ecr-infrastructure.json'),
        ecs_template_path: join(tdir, 'api-ecs-infrastructure.json') });
      assert.equal(notOurs.isError, true);
      assert.match(textOf(notOurs), /not created by ecs-mcp/);
      const deploy = await call(client, 'create_ecs_infrastructure', {
        app_name: 'other', app_path: dir, force_deploy: true, ...defaultNetwork(), image_uri: 'public.ecr.aws/nginx/nginx:1.27' });
      assert.equal(deploy.isError, true);
      assert.match(textOf(deploy), /not created by ecs-mcp/);
      assert.equal(moto.boto('out = len(cfn.describe_stacks()["Stacks"])'), 3);
    } finally {
      await client.close();
    }
  });
});

describe('delete_ecs_infrastructure with a client that supports elicitation', () => {
  // An SDK client declaring elicitation, answering elicitation/create with `answer(request)`.
  async function connectEliciting(answer) {
    const transport = new sdk.StdioClientTransport({
      command: serverBinary(), env: childEnv({ HOME: home, AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.url, ALLOW_WRITE: 'true' }),
      stderr: 'pipe' });
    const client = new sdk.Client({ name: 'ecs-mcp-e2e-elicit', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    const asked = [];
    client.setRequestHandler(sdk.ElicitRequestSchema, async (request) => {
      asked.push(request.params);
      return answer(request);
    });
    await client.connect(transport);
    return { client, asked };
  }

  test('asks the user, deletes nothing when declined, and deletes on accept + confirm', async () => {
    let reply = { action: 'decline' };
    const { client, asked } = await connectEliciting(() => reply);
    try {
      const dir = copyApp('static-site');
      const created = await call(client, 'create_ecs_infrastructure', {
        app_name: 'site', app_path: dir, force_deploy: true, ...defaultNetwork(), image_uri: 'public.ecr.aws/nginx/nginx:1.27' });
      assert.equal(created.isError, undefined, textOf(created));
      const paths = {
        app_name: 'site',
        ecr_template_path: join(dir, 'cloudformation-templates', 'site-ecr-infrastructure.json'),
        ecs_template_path: join(dir, 'cloudformation-templates', 'site-ecs-infrastructure.json'),
      };

      const declined = await call(client, 'delete_ecs_infrastructure', paths);
      assert.equal(declined.isError, undefined, textOf(declined));
      assert.equal(declined.structuredContent.phase, 'declined');
      assert.equal(declined.structuredContent.confirmation_token, undefined);
      assert.match(declined.structuredContent.message, /declined.*nothing was deleted/s);
      assert.equal(asked.length, 1);
      assert.match(asked[0].message, /site-ecs-infrastructure \(\d+ resources\), site-ecr-infrastructure \(\d+ resources\)/);
      assert.equal(asked[0].requestedSchema.properties.confirm.type, 'boolean');
      assert.deepEqual(asked[0].requestedSchema.required, ['confirm']);
      assert.equal(moto.boto('out = len(cfn.describe_stacks()["Stacks"])'), 2, 'a declined deletion deletes nothing');

      reply = { action: 'accept', content: { confirm: true } };
      const deleted = await call(client, 'delete_ecs_infrastructure', paths, { timeout: 120000 });
      assert.equal(deleted.isError, undefined, textOf(deleted));
      assert.equal(deleted.structuredContent.phase, 'deleted');
      assert.equal(asked.length, 2);
      const left = moto.boto('out = [s["StackName"] for s in cfn.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"]');
      assert.deepEqual(left, []);
    } finally {
      await client.close();
    }
  });
});

test('annotations say that create_ecs_infrastructure writes files even with writes off', async () => {
  const { client } = await connectClient(serverBinary(), {});
  try {
    const { tools } = await client.listTools();
    const create = tools.find((t) => t.name === 'create_ecs_infrastructure');
    assert.equal(create.annotations.readOnlyHint, false);
    const containerize = tools.find((t) => t.name === 'containerize_app');
    assert.equal(containerize.annotations.readOnlyHint, false);
    const status = tools.find((t) => t.name === 'get_deployment_status');
    assert.equal(status.annotations.readOnlyHint, true);
  } finally {
    await client.close();
  }
});
