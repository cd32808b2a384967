// Calls as language models write them, end to end: the official SDK client drives the real
// server against moto_server with the argument shapes models send (null for "absent", numbers
// and booleans as strings, objects as JSON text, operation names in other spellings), the
// defaults a model relies on (troubleshooting without an action, a cluster's only service),
// create_ecs_infrastructure one deployment_step per call, the workflow prompts, and tool text
// content that is the structured result as compact JSON.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import { E2E_DIR, connectClient, sdk, serverBinary, textOf } from './helpers.mjs';
import { pinTasksRunning, webService } from './lib/ecs_world.mjs';
import { Moto } from './lib/moto.mjs';

const APPS = join(E2E_DIR, '..', 'fixtures', 'apps');
const NGINX = 'public.ecr.aws/nginx/nginx:1.27';
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
  await pinTasksRunning(moto);
  if (work) rmSync(work, { recursive: true, force: true });
  work = mkdtempSync(join(tmpdir(), 'ecs-mcp-models-'));
});

async function connect(extra = {}) {
  return connectClient(serverBinary(), {
    env: { HOME: home, AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.url, ...extra },
  });
}

const call = (client, name, args, options) => client.callTool({ name, arguments: args }, undefined, options);

// A successful structured result whose text is exactly the structured content as compact JSON.
function ok(result, what = 'call') {
  assert.equal(result.isError, undefined, `${what}: ${textOf(result)}`);
  assert.ok(result.structuredContent, `${what} returned no structured content`);
  assert.equal(result.content.length, 1, `${what}: one text block`);
  assert.equal(result.content[0].type, 'text');
  assert.equal(result.content[0].text, JSON.stringify(result.structuredContent), `${what}: text is compact JSON`);
  return result.structuredContent;
}

// A failed call; returns its text.
function failed(result, what = 'call') {
  assert.equal(result.isError, true, `${what} should fail: ${JSON.stringify(result)}`);
  return textOf(result);
}

function copyApp(name, as = name) {
  const dst = join(work, as);
  cpSync(join(APPS, name), dst, { recursive: true });
  return dst;
}

function defaultNetwork() {
  return moto.boto(`
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
out = {"vpc_id": vpc, "subnet_ids": subnets}`);
}

// The stacks, ECR repositories and the ImageUri the ECS stack (if any) deploys, seen with boto3.
const world = (app) => moto.boto(`
stacks = {s["StackName"]: s for s in cfn.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"}
ecs_stack = stacks.get(${JSON.stringify(`${app}-ecs-infrastructure`)})
out = {"stacks": sorted(stacks), "repos": [r["repositoryUri"] for r in ecr.describe_repositories()["repositories"]],
       "image": ecs_stack and [p["ParameterValue"] for p in ecs_stack["Parameters"] if p["ParameterKey"] == "ImageUri"][0]}`);

describe('arguments as models send them', () => {
  test('null means absent, numeric and boolean strings and JSON-text objects are coerced', async () => {
    moto.boto(`
for name in ["x"] + ["c%d" % i for i in range(9)]:
    ecs.create_cluster(clusterName=name)
ecs.register_task_definition(family="t", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
ecs.create_service(cluster="x", serviceName="svc", taskDefinition="t", desiredCount=0)`);
    const { client } = await connect();
    try {
      const nullParams = ok(await call(client, 'ecs_resource_management', { api_operation: 'ListClusters', api_params: null }),
        'api_params null');
      assert.equal(nullParams.operation, 'ListClusters');
      assert.equal(nullParams.result.clusterArns.length, 10);

      const five = ok(await call(client, 'ecs_resource_management', { api_operation: 'ListClusters', api_params: { maxResults: '5' } }),
        'maxResults "5"');
      assert.equal(five.operation, 'ListClusters');
      // moto ignores maxResults for ECS lists; a bound only an integer can break shows the string became one.
      const tooMany = failed(await call(client, 'ecs_resource_management', {
        api_operation: 'ListClusters', api_params: { maxResults: '5000' } }), 'maxResults "5000"');
      assert.match(tooMany, /maxResults.*must be <= 1000/);
      assert.doesNotMatch(tooMany, /expected integer/);

      const asText = ok(await call(client, 'ecs_resource_management', {
        api_operation: 'DescribeClusters', api_params: '{"clusters":["x"]}' }), 'api_params as JSON text');
      assert.deepEqual(asText.result.clusters.map((c) => c.clusterName), ['x']);
      const services = ok(await call(client, 'ecs_resource_management', {
        api_operation: 'ListServices', api_params: '{"cluster":"x"}' }), 'ListServices with JSON text');
      assert.deepEqual(services.result.serviceArns.map((a) => a.split('/').pop()), ['svc']);
      const defaultCluster = failed(await call(client, 'ecs_resource_management', {
        api_operation: 'ListServices', api_params: '{"cluster":"no-such-cluster"}' }), 'ListServices, unknown cluster');
      assert.match(defaultCluster, /ClusterNotFound/);

      const guide = ok(await call(client, 'ecs_troubleshooting_tool', {
        action: 'get_ecs_troubleshooting_guidance',
        parameters: { ecs_cluster_name: 'x', ecs_service_name: null, time_window: '7200' } }),
      'ecs_service_name null, time_window "7200"');
      assert.equal(guide.action, 'get_ecs_troubleshooting_guidance');
      assert.equal(guide.data.cluster.name, 'x');
      assert.equal(guide.data.services_total, 1);
      assert.equal((Date.parse(guide.window.end) - Date.parse(guide.window.start)) / 1000, 7200);

      const status = ok(await call(client, 'get_deployment_status', { app_name: 'nothing-here', cluster_name: null }),
        'cluster_name null');
      assert.equal(status.verdict, 'NOT_FOUND');

      const dir = copyApp('node-express');
      const containerized = ok(await call(client, 'containerize_app', { app_path: dir, write_files: 'true', port: '8080' }),
        'write_files "true", port "8080"');
      assert.equal(containerized.dockerfile.status, 'written');
      assert.match(containerized.dockerfile.content, /EXPOSE 8080/);
      assert.ok(existsSync(join(dir, 'Dockerfile')));

      const other = copyApp('node-express', 'dry-run');
      const dry = ok(await call(client, 'containerize_app', { app_path: other, write_files: 'false', overwrite: null }),
        'write_files "false"');
      assert.notEqual(dry.dockerfile.status, 'written');
      assert.ok(!existsSync(join(other, 'Dockerfile')), 'write_files "false" writes nothing');

      const words = failed(await call(client, 'ecs_resource_management', {
        api_operation: 'ListClusters', api_params: { maxResults: 'five' } }), 'maxResults "five"');
      assert.match(words, /expected integer/);
      assert.match(words, /maxResults/);
      const fraction = failed(await call(client, 'ecs_troubleshooting_tool', {
        parameters: { ecs_cluster_name: 'x', time_window: '1.5' } }), 'time_window "1.5"');
      assert.match(fraction, /expected integer/);
      assert.match(fraction, /time_window/);

      const noOperation = failed(await call(client, 'ecs_resource_management', { api_operation: null }), 'api_operation null');
      assert.match(noOperation, /api_operation/);
      const noApp = failed(await call(client, 'get_deployment_status', { app_name: null }), 'app_name null');
      assert.match(noApp, /app_name/);
      const noPath = failed(await call(client, 'containerize_app', { app_path: null, write_files: 'true' }), 'app_path null');
      assert.match(noPath, /app_path/);
    } finally {
      await client.close();
    }
  });
});

describe('defaults models rely on', () => {
  test('ecs_troubleshooting_tool without an action runs the guidance', async () => {
    moto.boto('ecs.create_cluster(clusterName="web-cluster")');
    const { client } = await connect();
    try {
      const guide = ok(await call(client, 'ecs_troubleshooting_tool', { parameters: { ecs_cluster_name: 'web-cluster' } }),
        'no action');
      assert.equal(guide.action, 'get_ecs_troubleshooting_guidance');
      assert.equal(guide.data.cluster.name, 'web-cluster');
      const nullAction = ok(await call(client, 'ecs_troubleshooting_tool', {
        action: null, parameters: { ecs_cluster_name: 'web-cluster' } }), 'action null');
      assert.equal(nullAction.action, 'get_ecs_troubleshooting_guidance');
    } finally {
      await client.close();
    }
  });

  test('ecs_resource_management takes operation names in the spellings models use', async () => {
    moto.boto('ecs.create_cluster(clusterName="web-cluster")');
    const { client } = await connect();
    try {
      for (const name of ['ListClusters', 'list_clusters', 'listClusters', 'ecs:ListClusters']) {
        const r = ok(await call(client, 'ecs_resource_management', { api_operation: name }), name);
        assert.equal(r.operation, 'ListClusters', name);
        assert.ok(r.result.clusterArns.some((a) => a.endsWith(':cluster/web-cluster')), name);
      }
      const typo = failed(await call(client, 'ecs_resource_management', { api_operation: 'ListClustrs' }), 'ListClustrs');
      assert.match(typo, /did you mean[^.?]*\bListClusters\b/);
    } finally {
      await client.close();
    }
  });

  test('fetch_task_logs and fetch_network_configuration with only the cluster', async () => {
    const web = webService(moto);
    const { client } = await connect({ ALLOW_SENSITIVE_DATA: 'true' });
    try {
      const network = ok(await call(client, 'ecs_troubleshooting_tool', {
        action: 'fetch_network_configuration', parameters: { ecs_cluster_name: 'web-cluster' } }), 'network, one service');
      assert.equal(network.action, 'fetch_network_configuration');
      assert.equal(network.data.vpc_id, web.vpc);
      assert.ok(network.findings.some((f) => f.category === 'security_group_blocks_lb'), JSON.stringify(network.findings));

      const logs = ok(await call(client, 'ecs_troubleshooting_tool', {
        action: 'fetch_task_logs', parameters: { ecs_cluster_name: 'web-cluster' } }), 'logs, one service');
      assert.equal(logs.action, 'fetch_task_logs');
      assert.equal(logs.data.log_targets[0].log_group, '/ecs/web');

      moto.boto(`
net = ecs.describe_services(cluster="web-cluster", services=["web"])["services"][0]["networkConfiguration"]
ecs.create_service(cluster="web-cluster", serviceName="api", taskDefinition="web", desiredCount=1,
                   launchType="FARGATE", networkConfiguration=net)
ecs.create_cluster(clusterName="empty-cluster")`);
      for (const action of ['fetch_task_logs', 'fetch_network_configuration']) {
        const two = failed(await call(client, 'ecs_troubleshooting_tool', {
          action, parameters: { ecs_cluster_name: 'web-cluster' } }), `${action}, two services`);
        assert.match(two, /2 services/);
        assert.match(two, /\bweb\b/);
        assert.match(two, /\bapi\b/);
        assert.match(two, /ecs_service_name/);

        const none = failed(await call(client, 'ecs_troubleshooting_tool', {
          action, parameters: { ecs_cluster_name: 'empty-cluster' } }), `${action}, no services`);
        assert.match(none, /empty-cluster has no services/);
      }

      const chosen = ok(await call(client, 'ecs_troubleshooting_tool', {
        action: 'fetch_network_configuration', parameters: { ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' } }),
      'network with the service named');
      assert.equal(chosen.data.vpc_id, web.vpc);
    } finally {
      await client.close();
    }
  });
});

describe('create_ecs_infrastructure one deployment_step per call', () => {
  test('steps 2 and 3 before step 1 are refused; without force_deploy only templates are written', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'true' });
    try {
      const dir = copyApp('node-express');
      const base = { app_name: 'shop', app_path: dir, ...defaultNetwork(), container_port: 80 };

      const templates = ok(await call(client, 'create_ecs_infrastructure', { ...base, deployment_step: 1 }), 'step without force_deploy');
      assert.equal(templates.deployed, false);
      assert.ok(templates.warnings.some((w) => /deployment_step applies only with force_deploy=true/.test(w)), JSON.stringify(templates.warnings));
      assert.ok(existsSync(join(dir, 'cloudformation-templates', 'shop-ecr-infrastructure.json')));
      assert.ok(existsSync(join(dir, 'cloudformation-templates', 'shop-ecs-infrastructure.json')));

      const step3 = failed(await call(client, 'create_ecs_infrastructure', { ...base, force_deploy: true, deployment_step: 3 }),
        'step 3 first');
      assert.match(step3, /shop-ecr-infrastructure is not deployed.*run deployment_step=1 first/);

      // Step 2 without image_uri needs a Dockerfile and a container tool (buildah here) before it looks for the ECR stack.
      ok(await call(client, 'containerize_app', { app_path: dir, write_files: true, port: 80 }), 'containerize');
      const step2 = failed(await call(client, 'create_ecs_infrastructure', { ...base, force_deploy: true, deployment_step: 2 }),
        'step 2 first');
      assert.match(step2, /shop-ecr-infrastructure is not deployed.*run deployment_step=1 first/);
      assert.deepEqual(world('shop'), { stacks: [], repos: [], image: null });
    } finally {
      await client.close();
    }
  });

  test('steps 1, 2 and 3 in turn with image_uri', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'true' });
    try {
      const dir = copyApp('node-express');
      const base = { app_name: 'shop', app_path: dir, ...defaultNetwork(), container_port: 80, force_deploy: true };

      const one = ok(await call(client, 'create_ecs_infrastructure', { ...base, deployment_step: 1 }, { timeout: 60000 }), 'step 1');
      assert.equal(one.deployment_step, 1);
      assert.equal(one.deployed, false);
      assert.deepEqual(one.stacks.map((s) => s.stack_name), ['shop-ecr-infrastructure']);
      assert.match(one.repository_uri, /\/shop$/);
      assert.ok(one.next_steps.some((s) => s.includes('deployment_step=2')), JSON.stringify(one.next_steps));
      assert.deepEqual(world('shop'), { stacks: ['shop-ecr-infrastructure'], repos: [one.repository_uri], image: null });

      const two = ok(await call(client, 'create_ecs_infrastructure', { ...base, deployment_step: 2, image_uri: NGINX }), 'step 2');
      assert.equal(two.deployment_step, 2);
      assert.equal(two.deployed, false);
      assert.equal(two.image_uri, NGINX);
      assert.ok(two.warnings.some((w) => /nothing to build/.test(w)), JSON.stringify(two.warnings));
      assert.ok(two.next_steps.some((s) => s.includes('deployment_step=3')), JSON.stringify(two.next_steps));

      const three = ok(await call(client, 'create_ecs_infrastructure', { ...base, deployment_step: 3, image_uri: NGINX },
        { timeout: 60000 }), 'step 3');
      assert.equal(three.deployment_step, 3);
      assert.equal(three.deployed, true);
      assert.match(three.load_balancer_url, /^http:\/\/.+/);
      // 'created': step 2 deployed no stack.
      assert.deepEqual(three.stacks.map((s) => [s.stack_name, s.action]), [['shop-ecs-infrastructure', 'created']]);
      assert.deepEqual(world('shop'), {
        stacks: ['shop-ecr-infrastructure', 'shop-ecs-infrastructure'], repos: [one.repository_uri], image: NGINX });
    } finally {
      await client.close();
    }
  });

  test('step 3 without image_uri deploys the newest image in the repository', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'true' });
    try {
      const dir = copyApp('node-express');
      const base = { app_name: 'shop', app_path: dir, ...defaultNetwork(), container_port: '80', force_deploy: 'true' };
      const one = ok(await call(client, 'create_ecs_infrastructure', { ...base, deployment_step: '1', image_uri: null },
        { timeout: 60000 }), 'step 1');
      const repository = one.repository_uri.split('/').pop();

      const empty = failed(await call(client, 'create_ecs_infrastructure', { ...base, deployment_step: 3 }), 'step 3, empty repository');
      assert.match(empty, /holds no tagged image: run deployment_step=2 first/);

      moto.boto(`
ecr.put_image(repositoryName=${JSON.stringify(repository)}, imageTag="v1", imageManifest=json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
               "digest": "sha256:" + "a" * 64},
    "layers": []}))`);
      const three = ok(await call(client, 'create_ecs_infrastructure', { ...base, deployment_step: 3 }, { timeout: 60000 }),
        'step 3 without image_uri');
      const expected = `${one.repository_uri}:v1`;
      assert.equal(three.deployed, true);
      assert.equal(three.image_uri, expected);
      assert.ok(three.warnings.some((w) => w.includes(expected)), JSON.stringify(three.warnings));
      assert.match(three.load_balancer_url, /^http:\/\/.+/);
      assert.equal(world('shop').image, expected);
    } finally {
      await client.close();
    }
  });
});

describe('workflow prompts', () => {
  const ARGUMENTS = {
    deploy_app: [['app_path', true], ['app_name', false]],
    troubleshoot_service: [['cluster', true], ['service', false], ['symptoms', false]],
    app_unreachable: [['cluster', true], ['service', false], ['app_name', false]],
    inspect_ecs: [['cluster', false]],
    cleanup_app: [['app_name', true], ['app_path', true]],
  };

  const onlyUserText = (prompt) => {
    assert.equal(prompt.messages.length, 1);
    assert.equal(prompt.messages[0].role, 'user');
    assert.equal(prompt.messages[0].content.type, 'text');
    return prompt.messages[0].content.text;
  };

  function inOrder(text, words) {
    const at = words.map((w) => text.indexOf(w));
    assert.ok(at.every((i) => i >= 0), `${JSON.stringify(words)} all in: ${text}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at, `${JSON.stringify(words)} in this order: ${text}`);
  }

  test('listed with their arguments; deploy_app follows the switches; cleanup_app names both templates', async () => {
    const off = await connect();
    try {
      const { prompts } = await off.client.listPrompts();
      assert.deepEqual(Object.fromEntries(prompts.map((p) => [p.name, p.arguments.map((a) => [a.name, a.required === true])])),
        ARGUMENTS);
      for (const p of prompts) assert.ok(p.description.length > 0, p.name);

      const deploy = onlyUserText(await off.client.getPrompt({ name: 'deploy_app', arguments: { app_path: '/srv/shop' } }));
      inOrder(deploy, ['containerize_app', 'create_ecs_infrastructure', 'get_deployment_status']);
      assert.match(deploy, /"\/srv\/shop"/);
      assert.match(deploy, /ALLOW_WRITE is off/);
      assert.match(deploy, /ALLOW_WRITE=true/);

      const cleanup = onlyUserText(await off.client.getPrompt({ name: 'cleanup_app', arguments: { app_name: 'shop', app_path: '/srv/shop' } }));
      assert.ok(cleanup.includes('/srv/shop/cloudformation-templates/shop-ecr-infrastructure.json'), cleanup);
      assert.ok(cleanup.includes('/srv/shop/cloudformation-templates/shop-ecs-infrastructure.json'), cleanup);
      assert.match(cleanup, /delete_ecs_infrastructure/);
      assert.match(cleanup, /confirmation_token/);

      for (const [name, args] of [['troubleshoot_service', { cluster: 'web-cluster' }], ['app_unreachable', { cluster: 'web-cluster' }],
        ['inspect_ecs', {}]]) {
        const text = onlyUserText(await off.client.getPrompt({ name, arguments: args }));
        assert.ok(text.length > 0, name);
      }

      for (const [name, args, missing] of [['deploy_app', {}, 'app_path'], ['cleanup_app', { app_name: 'shop' }, 'app_path'],
        ['troubleshoot_service', { service: 'web' }, 'cluster']]) {
        await assert.rejects(off.client.getPrompt({ name, arguments: args }), (e) => {
          assert.ok(e instanceof sdk.McpError, `${name}: ${e}`);
          assert.equal(e.code, sdk.ErrorCode.InvalidParams, `${name}: ${e.message}`);
          assert.match(e.message, new RegExp(missing), name);
          return true;
        });
      }
    } finally {
      await off.client.close();
    }

    const on = await connect({ ALLOW_WRITE: 'true' });
    try {
      const deploy = onlyUserText(await on.client.getPrompt({ name: 'deploy_app', arguments: { app_path: '/srv/shop', app_name: 'shop' } }));
      inOrder(deploy, ['containerize_app', 'create_ecs_infrastructure', 'get_deployment_status']);
      assert.match(deploy, /force_deploy=true/);
      assert.match(deploy, /app_name="shop"/);
      assert.match(deploy, /ALLOW_WRITE is on/);
      assert.doesNotMatch(deploy, /ALLOW_WRITE is off/);
    } finally {
      await on.client.close();
    }
  });
});
