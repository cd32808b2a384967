// ecs_troubleshooting_tool end to end: the official SDK client drives the real server against
// moto_server, for the three troubleshooting prompts users bring. Each scenario is built with
// boto3 (tests/e2e/lib/ecs_world.mjs) and the test follows the path an assistant would:
// guidance first, then the action it suggests, until the diagnosis names the cause.
//
// What moto cannot produce (stopCode and container exit codes, unhealthy targets with reason
// codes, service events, failed rollouts, per-resource CloudFormation failures) is covered by
// the unit tests with recorded responses (tests/unit/ecs/troubleshooting).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { connectClient, serverBinary, textOf } from './helpers.mjs';
import { failingTasks, pinTasksRunning, webService } from './lib/ecs_world.mjs';
import { Moto } from './lib/moto.mjs';

let moto;
let home;

before(async () => {
  moto = await Moto.start();
  home = moto.makeHome();
});
after(() => moto?.stop());
beforeEach(async () => {
  await moto.reset();
  await pinTasksRunning(moto);
});

async function connect(extra = {}) {
  return connectClient(serverBinary(), {
    env: { HOME: home, AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.url, ...extra },
  });
}

async function troubleshoot(client, action, parameters) {
  const r = await client.callTool({ name: 'ecs_troubleshooting_tool', arguments: { action, parameters } });
  assert.ok(!r.isError, `${action}: ${textOf(r)}`);
  assert.ok(r.structuredContent, `${action} returned no structured content`);
  return r.structuredContent;
}

const categories = (result) => result.findings.map((f) => f.category);

const PULL_NOT_FOUND = (image) =>
  `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${image}: not found`;

describe('ecs_troubleshooting_tool against moto_server', () => {
  test('"my ECS tasks keep failing, why?" reaches the image pull failure and its cause', async () => {
    const world = webService(moto);
    const ids = failingTasks(moto, {
      count: 3,
      reason: PULL_NOT_FOUND(world.image),
      lines: ['INFO starting', 'ERROR could not connect to db 10.0.0.5:5432', 'ERROR could not connect to db 10.0.0.6:5432'],
    });
    const { client } = await connect({ ALLOW_SENSITIVE_DATA: 'true' });
    try {
      const guide = await troubleshoot(client, 'get_ecs_troubleshooting_guidance', {
        ecs_cluster_name: 'web-cluster', symptoms_description: 'my ECS tasks keep failing, why?' });
      assert.equal(guide.data.cluster.name, 'web-cluster');
      assert.equal(guide.data.services_total, 1);
      assert.equal(guide.data.suggested_actions[0].action, 'fetch_task_failures');
      assert.ok(categories(guide).includes('image_not_found'), JSON.stringify(guide.findings));

      const failures = await troubleshoot(client, 'fetch_task_failures', { ecs_cluster_name: 'web-cluster' });
      assert.equal(failures.findings[0].category, 'image_pull');
      assert.equal(failures.findings[0].severity, 'critical');
      assert.equal(failures.findings[0].occurrences, 3);
      assert.match(failures.verdict, /does not exist/);
      assert.equal(failures.data.by_category.image_pull, 3);
      assert.deepEqual(failures.data.tasks.map((t) => t.task_id).sort(), [...ids].sort());

      const pull = await troubleshoot(client, 'detect_image_pull_failures', {
        ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' });
      const found = categories(pull);
      assert.ok(found.includes('image_not_found'), JSON.stringify(pull.findings));
      assert.ok(found.includes('execution_role_missing'), 'no executionRoleArn in the task definition');
      assert.ok(found.includes('no_route_to_registry'), 'public subnet without a public IP');
      assert.equal(pull.data.images[0].status, 'missing_image');

      const logs = await troubleshoot(client, 'fetch_task_logs', { ecs_cluster_name: 'web-cluster', ecs_task_id: ids[0] });
      assert.equal(logs.data.log_targets[0].log_group, '/ecs/web');
      assert.equal(logs.data.summary.by_severity.ERROR, 2);
      assert.equal(logs.data.summary.top_errors[0].count, 2, 'numbers folded so repeats group');
      assert.equal(logs.findings[0].category, 'log_errors');

      const filtered = await troubleshoot(client, 'fetch_task_logs', {
        ecs_cluster_name: 'web-cluster', ecs_task_id: ids[0], filter_pattern: 'INFO' });
      assert.equal(filtered.data.summary.total, 1);
    } finally {
      await client.close();
    }
  });

  test('"the ALB health check is failing" finds a health-check port the tasks do not listen on', async () => {
    // moto registers no targets and cannot report reason codes: Target.Timeout and friends
    // are covered by the unit tests with recorded DescribeTargetHealth answers.
    webService(moto, { healthCheckPort: '80' });
    const { client } = await connect({ ALLOW_SENSITIVE_DATA: 'true' });
    try {
      const guide = await troubleshoot(client, 'get_ecs_troubleshooting_guidance', {
        ecs_cluster_name: 'web-cluster', symptoms_description: 'the ALB health check is failing' });
      assert.equal(guide.data.suggested_actions[0].action, 'fetch_service_events');

      const events = await troubleshoot(client, 'fetch_service_events', {
        ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' });
      assert.equal(events.findings[0].category, 'health_check_port', JSON.stringify(events.findings));
      assert.match(events.findings[0].cause, /port 80.*container port 8080/);
      assert.match(events.findings[0].next_step, /traffic-port/);
      const lb = events.data.load_balancers[0];
      assert.equal(lb.target_type, 'ip');
      assert.equal(lb.health_check.path, '/health');

      const network = await troubleshoot(client, 'fetch_network_configuration', {
        ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' });
      assert.ok(categories(network).includes('security_group_blocks_lb'));
    } finally {
      await client.close();
    }
  });

  test('"why can\'t I reach my app?" finds the security group that blocks the load balancer', async () => {
    const world = webService(moto);
    const { client } = await connect({ ALLOW_SENSITIVE_DATA: 'true' });
    try {
      const guide = await troubleshoot(client, 'get_ecs_troubleshooting_guidance', {
        ecs_cluster_name: 'web-cluster', symptoms_description: "why can't I reach my app?" });
      assert.equal(guide.data.suggested_actions[0].action, 'fetch_network_configuration');

      const network = await troubleshoot(client, 'fetch_network_configuration', {
        ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' });
      const blocked = network.findings.find((f) => f.category === 'security_group_blocks_lb');
      assert.ok(blocked, JSON.stringify(network.findings));
      assert.equal(blocked.severity, 'critical');
      assert.match(blocked.next_step, new RegExp(`tcp 8080 from security group ${world.alb_sg}`));
      assert.ok(categories(network).includes('no_route_to_registry'));
      assert.equal(network.data.vpc_id, world.vpc);
      assert.equal(network.data.decisions.task_egress[0].default_route.slice(0, 4), 'igw-');
      assert.equal(network.data.decisions.load_balancer_to_task[0].scheme, 'internet-facing');
      assert.deepEqual(network.data.decisions.load_balancer_to_task[0].listener_ports, [80]);

      // After the fix the path is open.
      moto.boto(`
ec2.authorize_security_group_ingress(GroupId=${JSON.stringify(world.task_sg)}, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": ${JSON.stringify(world.alb_sg)}}]}])`);
      const fixed = await troubleshoot(client, 'fetch_network_configuration', {
        ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' });
      assert.ok(!categories(fixed).includes('security_group_blocks_lb'), JSON.stringify(fixed.findings));
      assert.equal(fixed.data.decisions.load_balancer_to_task[0].paths[0].allowed, true);

      const vpc = await troubleshoot(client, 'fetch_network_configuration', { vpc_id: world.vpc });
      assert.equal(vpc.data.subnets.length, 2);
      assert.ok(vpc.data.subnets.every((s) => s.kind === 'public'));
    } finally {
      await client.close();
    }
  });

  test('CloudFormation: a healthy stack, and a stack that does not exist', async () => {
    moto.boto(`
cfn.create_stack(StackName="cluster-stack", TemplateBody=json.dumps({
    "Resources": {"Cluster": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": "cfn-cluster"}}}}))
out = cfn.describe_stacks(StackName="cluster-stack")["Stacks"][0]["StackStatus"]`);
    const { client } = await connect();
    try {
      const ok = await troubleshoot(client, 'fetch_cloudformation_status', { cfn_stack_name: 'cluster-stack' });
      assert.equal(ok.data.stack.StackStatus, 'CREATE_COMPLETE');
      assert.equal(ok.findings[0].severity, 'info');
      assert.match(ok.verdict, /No problem found/);
      const missing = await troubleshoot(client, 'fetch_cloudformation_status', { cfn_stack_name: 'no-such-stack' });
      assert.equal(missing.findings[0].category, 'stack_not_found');
    } finally {
      await client.close();
    }
  });

  test('sensitive actions are refused without ALLOW_SENSITIVE_DATA; reads are redacted', async () => {
    webService(moto);
    const { client } = await connect();
    try {
      for (const action of ['fetch_task_logs', 'fetch_task_failures', 'fetch_network_configuration']) {
        const r = await client.callTool({ name: 'ecs_troubleshooting_tool',
          arguments: { action, parameters: { ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' } } });
        assert.equal(r.isError, true, action);
        assert.match(textOf(r), new RegExp(`Operation ${action} requires SENSITIVE DATA[\\s\\S]*ALLOW_SENSITIVE_DATA=true`));
      }
      // Service events are a plain read, as DescribeServices is.
      const events = await troubleshoot(client, 'fetch_service_events', { ecs_cluster_name: 'web-cluster', ecs_service_name: 'web' });
      assert.equal(events.action, 'fetch_service_events');
      const guide = await troubleshoot(client, 'get_ecs_troubleshooting_guidance', { ecs_cluster_name: 'web-cluster' });
      assert.ok(!JSON.stringify(guide).includes('hunter2'));
      const unknown = await client.callTool({ name: 'ecs_troubleshooting_tool', arguments: { action: 'nope' } });
      assert.equal(unknown.isError, true);
      const tools = await client.listTools();
      const tool = tools.tools.find((t) => t.name === 'ecs_troubleshooting_tool');
      assert.ok(tool.outputSchema, 'declares its output');
      assert.equal(tool.annotations.readOnlyHint, true);
      assert.deepEqual(tool.inputSchema.properties.action.enum.length, 7);
    } finally {
      await client.close();
    }
  });
});
