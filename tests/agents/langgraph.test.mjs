// The product's example prompts played by a LangGraph ReAct agent (createReactAgent,
// ChatOpenAI against a scripted OpenAI-compatible model) whose tools come from
// ecs-mcp-server through @langchain/mcp-adapters, against moto_server.
//
// Two launch styles: one persistent MCP session for a whole describe block, and a fresh
// server process per tool call with the stripped environment platform agents give it
// (HOME with ~/.aws for the profile, PATH, AWS_REGION, AWS_PROFILE, the switches as
// "true"/"false"; AWS_ENDPOINT_URL points at moto).
//
// LangChain JS validates tool arguments against the input schema before calling the tool, so
// the arguments scripted here are well typed; null and numeric-string arguments are sent
// through the Vercel AI SDK (vercel_ai.test.mjs), which passes them on as the model wrote them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { FakeOpenAI } from './lib/fake_openai.mjs';
import { MotoServer, agentEnv, buildEstate, copyApp, makeHome, removeDir, scratchDir, serverBinary } from './lib/aws_world.mjs';
import { assertCompact, assertRefusedForWrite, categoriesOf, exchangesOf, isolateProcessEnv, jsonResult, lastToolValue, liveServerChildren } from './lib/expect.mjs';
import { perCallTools, persistentTools, runLangGraph } from './lib/langgraph_agent.mjs';

isolateProcessEnv();

let moto;
let home;
let work;
let estate;

before(async () => {
  moto = await MotoServer.start();
  home = makeHome();
  work = scratchDir();
  estate = await buildEstate(moto);
});

after(() => {
  moto?.stop();
  removeDir(home);
  removeDir(work);
});

// Plays `script` for `prompt` and returns the fake model (with the recorded conversation).
async function play(tools, prompt, script) {
  const fake = await new FakeOpenAI(script).start();
  try {
    const { answer } = await runLangGraph({ fake, tools, prompt });
    assert.equal(typeof answer, 'string');
    return fake;
  } finally {
    await fake.stop();
  }
}

const rm = (api_operation, api_params) => ({ name: 'ecs_resource_management', arguments: api_params ? { api_operation, api_params } : { api_operation } });
const ts = (action, parameters) => ({ name: 'ecs_troubleshooting_tool', arguments: { action, parameters } });

describe('LangGraph, one persistent MCP session (read-only, sensitive data allowed)', { timeout: 120000 }, () => {
  let session;
  before(async () => {
    session = await persistentTools(agentEnv({ home, moto, write: false, sensitive: true }));
  });
  after(async () => { await session?.close(); });

  test('the agent is offered every server tool, within OpenAI limits', async () => {
    const fake = await play(session.tools, 'What can you do with ECS?', [{ text: 'I can manage and troubleshoot ECS.' }]);
    const names = fake.offeredTools().map((t) => t.name).sort();
    assert.deepEqual(names, ['aws_knowledge_aws___read_documentation', 'aws_knowledge_aws___recommend',
      'aws_knowledge_aws___search_documentation', 'containerize_app', 'create_ecs_infrastructure', 'delete_ecs_infrastructure',
      'ecs_resource_management', 'ecs_troubleshooting_tool', 'get_deployment_status']);
  });

  test('"List all my ECS clusters"', async () => {
    const fake = await play(session.tools, 'List all my ECS clusters', [
      { tool_calls: [rm('ListClusters')] },
      { text: 'You have two clusters: shop-prod and shop-staging.' },
    ]);
    const [list] = exchangesOf(fake, ['ecs_resource_management']);
    assert.deepEqual(list.args, { api_operation: 'ListClusters' });
    const r = jsonResult(list);
    assert.deepEqual([...r.result.clusterArns].sort(), [estate.prod, estate.staging].sort());
    assertCompact(list);
    assert.equal(liveServerChildren(serverBinary()).length, 1, 'one server process serves the whole session');
  });

  test('"Describe my ECS service configuration"', async () => {
    const fake = await play(session.tools, 'Describe my ECS service configuration', [
      { tool_calls: [rm('ListServices', { cluster: 'shop-prod' })] },
      (body) => {
        const arns = lastToolValue(body).result.serviceArns;
        return { tool_calls: [rm('DescribeServices', { cluster: 'shop-prod', services: arns.map((a) => a.split('/').pop()) })] };
      },
      { text: 'storefront runs 2 Fargate tasks of storefront:1 behind storefront-tg.' },
    ]);
    const [list, desc] = exchangesOf(fake, ['ecs_resource_management', 'ecs_resource_management']);
    assert.deepEqual(jsonResult(list).result.serviceArns, [estate.service]);
    assert.deepEqual(desc.args.api_params, { cluster: 'shop-prod', services: ['storefront'] });
    const svc = jsonResult(desc).result.services[0];
    assert.equal(svc.serviceArn, estate.service);
    assert.equal(svc.desiredCount, 2);
    assert.equal(svc.taskDefinition, estate.task_definition);
    assert.equal(svc.launchType, 'FARGATE');
    assert.equal(svc.loadBalancers[0].targetGroupArn, estate.tg);
    assert.equal(svc.loadBalancers[0].containerPort, 8080);
  });

  test('"Create a new ECS cluster" is refused without ALLOW_WRITE', async () => {
    const fake = await play(session.tools, 'Create a new ECS cluster', [
      { tool_calls: [rm('CreateCluster', { clusterName: 'shop-new' })] },
      { text: 'I cannot: the server does not allow writes. Set ALLOW_WRITE=true.' },
    ]);
    const [create] = exchangesOf(fake, ['ecs_resource_management']);
    assertRefusedForWrite(create);
    assert.ok(!moto.clusterNames().includes('shop-new'), 'a refused CreateCluster must not create the cluster');
  });

  test('"Help me troubleshoot my ECS deployment"', async () => {
    const fake = await play(session.tools, 'Help me troubleshoot my ECS deployment', [
      { tool_calls: [ts('get_ecs_troubleshooting_guidance', {
        ecs_cluster_name: 'shop-prod', ecs_service_name: 'storefront', symptoms_description: 'Help me troubleshoot my ECS deployment' })] },
      (body) => {
        const guide = lastToolValue(body);
        assert.ok(categoriesOf(guide).includes('image_not_found'), `guidance findings: ${JSON.stringify(guide.findings)}`);
        return { tool_calls: [ts('detect_image_pull_failures', { ecs_cluster_name: 'shop-prod', ecs_service_name: 'storefront' })] };
      },
      { text: 'The image storefront:v7 does not exist in ECR.' },
    ]);
    const [guide, pull] = exchangesOf(fake, ['ecs_troubleshooting_tool', 'ecs_troubleshooting_tool']);
    const g = jsonResult(guide);
    assert.equal(g.action, 'get_ecs_troubleshooting_guidance');
    assert.equal(g.data.cluster.name ?? g.data.cluster, 'shop-prod');
    assert.ok(g.data.suggested_actions.length > 0);
    const p = jsonResult(pull);
    assert.ok(categoriesOf(p).includes('image_not_found'), JSON.stringify(p.findings));
    assert.ok(JSON.stringify(p).includes(estate.image), `the image ${estate.image} is named`);
    assert.ok(!JSON.stringify(g).includes('sk_live_do_not_show'), 'container environment values stay redacted');
  });

  test('"The ALB health check is failing for my ECS service"', async () => {
    const fake = await play(session.tools, 'The ALB health check is failing for my ECS service', [
      { tool_calls: [ts('get_ecs_troubleshooting_guidance', {
        ecs_cluster_name: 'shop-prod', symptoms_description: 'The ALB health check is failing for my ECS service' })] },
      (body) => {
        const next = lastToolValue(body).data.suggested_actions[0].action;
        return { tool_calls: [ts(next, { ecs_cluster_name: 'shop-prod', ecs_service_name: 'storefront' })] };
      },
      { text: 'The target group probes port 80 but the container listens on 8080.' },
    ]);
    const [guide, events] = exchangesOf(fake, ['ecs_troubleshooting_tool', 'ecs_troubleshooting_tool']);
    assert.equal(jsonResult(guide).data.suggested_actions[0].action, 'fetch_service_events');
    assert.equal(events.args.action, 'fetch_service_events');
    const e = jsonResult(events);
    const finding = e.findings.find((f) => f.category === 'health_check_port');
    assert.ok(finding, `expected a health_check_port finding: ${JSON.stringify(e.findings)}`);
    assert.match(finding.cause, /80.*8080/s);
    assert.equal(e.data.load_balancers[0].health_check.path, '/healthz');
  });

  test('"Containerize this Node.js app and deploy it to AWS" (templates only)', async () => {
    const app = copyApp('node-express', work);
    const fake = await play(session.tools, 'Containerize this Node.js app and deploy it to AWS', [
      { tool_calls: [{ name: 'containerize_app', arguments: { app_path: app, write_files: true } }] },
      { tool_calls: [{ name: 'create_ecs_infrastructure', arguments: { app_name: 'express-shop', app_path: app } }] },
      { text: 'Dockerfile written and CloudFormation templates generated.' },
    ]);
    const [containerize, infra] = exchangesOf(fake, ['containerize_app', 'create_ecs_infrastructure']);
    const c = jsonResult(containerize);
    assert.equal(c.runtime, 'node');
    assert.equal(c.port, 4000);
    assert.match(c.dockerfile.content, /^EXPOSE 4000$/m);
    assert.equal(readFileSync(join(app, 'Dockerfile'), 'utf8'), c.dockerfile.content);
    const i = jsonResult(infra);
    assert.equal(i.deployed, false);
    for (const kind of ['ecr', 'ecs']) {
      const path = i.templates[kind].path;
      assert.equal(path, join(app, 'cloudformation-templates', `express-shop-${kind}-infrastructure.json`));
      assert.ok(existsSync(path), `${path} was written`);
    }
    assert.deepEqual(moto.boto('out = [s["StackName"] for s in cfn.describe_stacks()["Stacks"]]'), [],
      'templates only: no stack is created without force_deploy');
  });
});

describe('LangGraph, a new server process per tool call (stripped environment)', { timeout: 120000 }, () => {
  test('"Show me my ECS clusters": every call has its own session, and none outlives it', async () => {
    const env = agentEnv({ home, moto, write: false, sensitive: false });
    const { tools, stats } = await perCallTools(env);
    const fake = await play(tools, 'Show me my ECS clusters', [
      { tool_calls: [rm('ListClusters')] },
      (body) => ({ tool_calls: [rm('DescribeClusters', { clusters: lastToolValue(body).result.clusterArns })] }),
      { text: 'shop-prod and shop-staging are ACTIVE.' },
    ]);
    const [list, desc] = exchangesOf(fake, ['ecs_resource_management', 'ecs_resource_management']);
    assert.ok(jsonResult(list).result.clusterArns.includes(estate.prod));
    const clusters = jsonResult(desc).result.clusters;
    assert.deepEqual(clusters.map((c) => c.clusterName).sort(), ['shop-prod', 'shop-staging']);
    assert.ok(clusters.every((c) => c.status === 'ACTIVE'));
    assert.equal(stats.calls.length, 2);
    assert.equal(stats.sessionsOpened, 3, 'one listing session plus one per tool call');
    assert.equal(stats.sessionsClosed, stats.sessionsOpened);
    assert.deepEqual(liveServerChildren(serverBinary()), [], 'no server process outlives its call');
  });

  test('"Create a new ECS cluster": refused with ALLOW_WRITE=false, done with ALLOW_WRITE=true', async () => {
    const script = () => [
      { tool_calls: [rm('CreateCluster', { clusterName: 'analytics' })] },
      { text: 'Done.' },
    ];
    const readOnly = await perCallTools(agentEnv({ home, moto, write: false }));
    const refused = await play(readOnly.tools, 'Create a new ECS cluster', script());
    assertRefusedForWrite(exchangesOf(refused, ['ecs_resource_management'])[0]);
    assert.ok(!moto.clusterNames().includes('analytics'));

    const writable = await perCallTools(agentEnv({ home, moto, write: true }));
    const allowed = await play(writable.tools, 'Create a new ECS cluster', script());
    const [create] = exchangesOf(allowed, ['ecs_resource_management']);
    const cluster = jsonResult(create).result.cluster;
    assert.equal(cluster.clusterName, 'analytics');
    assert.match(cluster.clusterArn, /^arn:aws:ecs:us-east-1:\d{12}:cluster\/analytics$/);
    assert.ok(moto.clusterNames().includes('analytics'), 'the cluster exists in AWS afterwards');
  });

  test('"My ECS tasks keep failing, can you diagnose the issue?"', async () => {
    const { tools } = await perCallTools(agentEnv({ home, moto, sensitive: true }));
    const prompt = 'My ECS tasks keep failing, can you diagnose the issue?';
    const fake = await play(tools, prompt, [
      { tool_calls: [ts('get_ecs_troubleshooting_guidance', { ecs_cluster_name: 'shop-prod', symptoms_description: prompt })] },
      (body) => ({ tool_calls: [ts(lastToolValue(body).data.suggested_actions[0].action, { ecs_cluster_name: 'shop-prod' })] }),
      (body) => {
        const taskId = lastToolValue(body).data.tasks[0].task_id;
        return { tool_calls: [ts('fetch_task_logs', { ecs_cluster_name: 'shop-prod', ecs_task_id: taskId, filter_pattern: 'ERROR' })] };
      },
      { text: 'Tasks stop because the image storefront:v7 cannot be pulled; the logs also show the payments upstream unreachable.' },
    ]);
    const [guide, failures, logs] = exchangesOf(fake, ['ecs_troubleshooting_tool', 'ecs_troubleshooting_tool', 'ecs_troubleshooting_tool']);
    assert.equal(jsonResult(guide).data.suggested_actions[0].action, 'fetch_task_failures');
    assert.equal(failures.args.action, 'fetch_task_failures');
    const f = jsonResult(failures);
    assert.equal(f.findings[0].category, 'image_pull', JSON.stringify(f.findings));
    assert.equal(f.findings[0].occurrences, 3);
    assert.equal(f.data.by_category.image_pull, 3);
    assert.deepEqual(f.data.tasks.map((t) => t.task_id).sort(), estate.failed.map((a) => a.split('/').pop()).sort());
    assert.match(f.verdict, /does not exist|not found/i);
    const l = jsonResult(logs);
    assert.equal(l.data.log_targets[0].log_group, '/ecs/storefront');
    assert.match(JSON.stringify(l.data), /payments 10\.0\.3\.4:443 unreachable|payments <ip>/);
  });

  test('"Deploy this Flask application to Amazon ECS" (templates only)', async () => {
    const { tools, stats } = await perCallTools(agentEnv({ home, moto, write: false }));
    const app = copyApp('python-flask', work);
    const fake = await play(tools, 'Deploy this Flask application to Amazon ECS', [
      { tool_calls: [{ name: 'containerize_app', arguments: { app_path: app, write_files: true } }] },
      { tool_calls: [{ name: 'create_ecs_infrastructure', arguments: { app_name: 'flask-app', app_path: app, desired_count: 2 } }] },
      { text: 'The Dockerfile and the CloudFormation templates are ready.' },
    ]);
    const [containerize, infra] = exchangesOf(fake, ['containerize_app', 'create_ecs_infrastructure']);
    const c = jsonResult(containerize);
    assert.equal(c.runtime, 'python');
    assert.equal(c.framework, 'flask');
    assert.match(c.dockerfile.content, /^EXPOSE 5000$/m);
    assert.ok(existsSync(join(app, 'Dockerfile')));
    const i = jsonResult(infra);
    assert.equal(i.deployed, false);
    assert.equal(i.parameters.ContainerPort, '5000');
    assert.equal(i.parameters.DesiredCount, '2');
    assert.ok(existsSync(i.templates.ecs.path) && existsSync(i.templates.ecr.path), JSON.stringify(i.templates));
    assert.equal(stats.sessionsOpened, 3);
  });
});
