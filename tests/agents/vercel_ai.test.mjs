// The product's example prompts played by a Vercel AI SDK agent: generateText/streamText with
// stopWhen, tools from ecs-mcp-server through @ai-sdk/mcp (stdio), and @ai-sdk/openai's Chat
// Completions model against a scripted OpenAI-compatible endpoint, with moto_server as AWS.
//
// The AI SDK passes tool arguments to the server as the model wrote them, so the scripts here
// also send what real models send: null for optional arguments, numbers and booleans as
// strings, and a troubleshooting call without `action`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { FakeOpenAI } from './lib/fake_openai.mjs';
import { MotoServer, agentEnv, buildEstate, copyApp, makeHome, removeDir, scratchDir } from './lib/aws_world.mjs';
import { assertCompact, assertRefusedForWrite, categoriesOf, exchangesOf, isolateProcessEnv, jsonResult, lastToolValue } from './lib/expect.mjs';
import { mcpTools, runVercel } from './lib/vercel_agent.mjs';

isolateProcessEnv();

let moto;
let home;
let work;
let estate;
let readOnly;   // ALLOW_WRITE=false, ALLOW_SENSITIVE_DATA=true
let writable;   // ALLOW_WRITE=true, ALLOW_SENSITIVE_DATA=false

before(async () => {
  moto = await MotoServer.start();
  home = makeHome();
  work = scratchDir();
  estate = await buildEstate(moto);
  readOnly = await mcpTools(agentEnv({ home, moto, write: false, sensitive: true }));
  writable = await mcpTools(agentEnv({ home, moto, write: true, sensitive: false }));
});

after(async () => {
  await readOnly?.close();
  await writable?.close();
  moto?.stop();
  removeDir(home);
  removeDir(work);
});

async function play(session, prompt, script, { stream = false } = {}) {
  const fake = await new FakeOpenAI(script).start();
  try {
    const { text } = await runVercel({ fake, tools: session.tools, prompt, stream });
    assert.equal(typeof text, 'string');
    return fake;
  } finally {
    await fake.stop();
  }
}

const rm = (api_operation, api_params) => ({ name: 'ecs_resource_management', arguments: api_params ? { api_operation, api_params } : { api_operation } });
const ts = (action, parameters) => ({ name: 'ecs_troubleshooting_tool', arguments: { action, parameters } });

describe('Vercel AI SDK agent, persistent MCP sessions', { timeout: 120000 }, () => {
  test('"List all running tasks in my ECS cluster" (maxResults as a numeric string)', async () => {
    const fake = await play(readOnly, 'List all running tasks in my ECS cluster', [
      { tool_calls: [rm('ListClusters')] },
      { tool_calls: [rm('ListTasks', { cluster: 'shop-prod', desiredStatus: 'RUNNING', maxResults: '5' })] },
      (body) => ({ tool_calls: [rm('DescribeTasks', { cluster: 'shop-prod', tasks: lastToolValue(body).result.taskArns })] }),
      { text: 'Two tasks of storefront are running in shop-prod.' },
    ]);
    const [, list, desc] = exchangesOf(fake, ['ecs_resource_management', 'ecs_resource_management', 'ecs_resource_management']);
    assert.equal(list.args.api_params.maxResults, '5', 'the model sent maxResults as a string');
    const arns = jsonResult(list).result.taskArns;
    assert.deepEqual([...arns].sort(), [...estate.running].sort(), 'only the RUNNING tasks, none of the stopped ones');
    const tasks = jsonResult(desc).result.tasks;
    assert.equal(tasks.length, 2);
    assert.ok(tasks.every((t) => t.lastStatus === 'RUNNING' && t.clusterArn === estate.prod), JSON.stringify(tasks.map((t) => t.lastStatus)));
    assertCompact(desc);
  });

  test('"Show me my ECS clusters" with a streaming model', async () => {
    const fake = await play(readOnly, 'Show me my ECS clusters', [
      { tool_calls: [rm('ListClusters')] },
      { text: 'You have shop-prod and shop-staging.' },
    ], { stream: true });
    assert.ok(fake.requests.every((r) => r.body?.stream === true), 'the model was called with stream: true');
    const [list] = exchangesOf(fake, ['ecs_resource_management']);
    assert.ok(jsonResult(list).result.clusterArns.includes(estate.staging));
  });

  test('"Create a new ECS cluster": refused without ALLOW_WRITE, created with it', async () => {
    const script = () => [
      { tool_calls: [rm('CreateCluster', { clusterName: 'batch-jobs', tags: null })] },
      { text: 'Done.' },
    ];
    const refused = await play(readOnly, 'Create a new ECS cluster', script());
    assertRefusedForWrite(exchangesOf(refused, ['ecs_resource_management'])[0]);
    assert.ok(!moto.clusterNames().includes('batch-jobs'));

    const allowed = await play(writable, 'Create a new ECS cluster', [
      { tool_calls: [rm('CreateCluster', { clusterName: 'batch-jobs' })] },
      { text: 'Created batch-jobs.' },
    ]);
    const [create] = exchangesOf(allowed, ['ecs_resource_management']);
    const cluster = jsonResult(create).result.cluster;
    assert.equal(cluster.clusterName, 'batch-jobs');
    assert.equal(cluster.status, 'ACTIVE');
    assert.ok(moto.clusterNames().includes('batch-jobs'), 'the cluster exists in AWS afterwards');
  });

  test('"Update my service configuration"', async () => {
    const fake = await play(writable, 'Update my service configuration', [
      { tool_calls: [rm('DescribeServices', { cluster: 'shop-prod', services: ['storefront'] })] },
      { tool_calls: [rm('UpdateService', { cluster: 'shop-prod', service: 'storefront', desiredCount: 3 })] },
      { text: 'storefront now wants 3 tasks.' },
    ]);
    const [before_, update] = exchangesOf(fake, ['ecs_resource_management', 'ecs_resource_management']);
    assert.equal(jsonResult(before_).result.services[0].desiredCount, 2);
    const svc = jsonResult(update).result.service;
    assert.equal(svc.serviceName, 'storefront');
    assert.equal(svc.desiredCount, 3);
    const inAws = moto.boto('out = ecs.describe_services(cluster="shop-prod", services=["storefront"])["services"][0]["desiredCount"]');
    assert.equal(inAws, 3, 'the service was updated in AWS');
    moto.boto('ecs.update_service(cluster="shop-prod", service="storefront", desiredCount=2)');
  });

  test('"Help me troubleshoot my ECS deployment" (no action given, null service)', async () => {
    const prompt = 'Help me troubleshoot my ECS deployment';
    const fake = await play(readOnly, prompt, [
      { tool_calls: [{ name: 'ecs_troubleshooting_tool', arguments: {
        parameters: { ecs_cluster_name: 'shop-prod', ecs_service_name: null, symptoms_description: prompt } } }] },
      { text: 'The storefront image cannot be pulled.' },
    ]);
    const [guide] = exchangesOf(fake, ['ecs_troubleshooting_tool']);
    assert.equal(guide.args.action, undefined);
    assert.equal(guide.args.parameters.ecs_service_name, null);
    const g = jsonResult(guide);
    assert.equal(g.action, 'get_ecs_troubleshooting_guidance');
    assert.equal(g.data.services_total, 1);
    assert.ok(categoriesOf(g).includes('image_not_found'), JSON.stringify(g.findings));
    assertCompact(guide);
  });

  test('"Why can\'t I access my deployed application?"', async () => {
    const prompt = "Why can't I access my deployed application?";
    const fake = await play(readOnly, prompt, [
      { tool_calls: [ts('get_ecs_troubleshooting_guidance', { ecs_cluster_name: 'shop-prod', ecs_service_name: 'storefront', symptoms_description: prompt })] },
      (body) => ({ tool_calls: [ts(lastToolValue(body).data.suggested_actions[0].action, {
        ecs_cluster_name: 'shop-prod', ecs_service_name: 'storefront', time_window: '7200', limit: '5' })] }),
      { text: 'The tasks security group does not admit port 8080 from the load balancer.' },
    ]);
    const [guide, network] = exchangesOf(fake, ['ecs_troubleshooting_tool', 'ecs_troubleshooting_tool']);
    assert.equal(jsonResult(guide).data.suggested_actions[0].action, 'fetch_network_configuration');
    assert.equal(network.args.action, 'fetch_network_configuration');
    const n = jsonResult(network);
    const blocked = n.findings.find((f) => f.category === 'security_group_blocks_lb');
    assert.ok(blocked, `expected security_group_blocks_lb: ${JSON.stringify(n.findings)}`);
    assert.match(blocked.next_step, new RegExp(`8080.*${estate.alb_sg}`));
    assert.equal(n.data.vpc_id, estate.vpc);
  });

  test('"The ALB health check is failing for my ECS service"', async () => {
    const fake = await play(readOnly, 'The ALB health check is failing for my ECS service', [
      { tool_calls: [ts('fetch_service_events', { ecs_cluster_name: 'shop-prod', ecs_service_name: 'storefront', start_time: null })] },
      { text: 'The health check probes port 80; the container listens on 8080.' },
    ]);
    const [events] = exchangesOf(fake, ['ecs_troubleshooting_tool']);
    assert.equal(jsonResult(events).findings[0].category, 'health_check_port', JSON.stringify(jsonResult(events).findings));
  });

  test('"Create an ECS deployment for this web application with auto-scaling" (templates only)', async () => {
    const app = copyApp('node-nestjs', work);
    const fake = await play(writable, 'Create an ECS deployment for this web application with auto-scaling', [
      { tool_calls: [{ name: 'containerize_app', arguments: { app_path: app, write_files: 'true', port: null } }] },
      (body) => ({ tool_calls: [{ name: 'create_ecs_infrastructure', arguments: {
        app_name: 'webapp', app_path: app, container_port: String(lastToolValue(body).port), enable_auto_scaling: true,
        min_capacity: '2', max_capacity: '6', desired_count: '2', force_deploy: null, certificate_arn: null } }] }),
      { text: 'Templates with auto-scaling between 2 and 6 tasks are ready.' },
    ]);
    const [containerize, infra] = exchangesOf(fake, ['containerize_app', 'create_ecs_infrastructure']);
    const c = jsonResult(containerize);
    assert.equal(c.dockerfile.status, 'written', 'write_files "true" counts as true');
    assert.match(c.dockerfile.content, new RegExp(`^EXPOSE ${c.port}$`, 'm'));
    assert.ok(existsSync(join(app, 'Dockerfile')));
    const i = jsonResult(infra);
    assert.equal(i.deployed, false, 'force_deploy null means templates only');
    assert.equal(i.parameters.EnableAutoScaling, 'true');
    assert.equal(i.parameters.MinCapacity, '2');
    assert.equal(i.parameters.MaxCapacity, '6');
    assert.equal(i.parameters.ContainerPort, String(c.port));
    const template = JSON.parse(readFileSync(i.templates.ecs.path, 'utf8'));
    const kinds = Object.values(template.Resources).map((r) => r.Type);
    assert.ok(kinds.includes('AWS::ApplicationAutoScaling::ScalableTarget'), kinds.join(', '));
    assert.ok(kinds.includes('AWS::ApplicationAutoScaling::ScalingPolicy'));
    assert.deepEqual(moto.boto('out = [s["StackName"] for s in cfn.describe_stacks()["Stacks"]]'), [],
      'no stack without force_deploy, even with ALLOW_WRITE=true');
  });
});
