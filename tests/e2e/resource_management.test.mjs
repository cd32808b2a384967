// ecs_resource_management end to end: the official SDK client drives the real server, which
// reaches a real AWS emulator (moto_server) configured only through ~/.aws, as a platform
// agent's child process would be. Resources are created and checked with boto3.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { connectClient, serverBinary, textOf } from './helpers.mjs';
import { Moto } from './lib/moto.mjs';

let moto;
let home;

before(async () => {
  moto = await Moto.start();
  home = moto.makeHome();
});
after(() => moto?.stop());
beforeEach(async () => moto.reset());

// Only HOME and PATH (+ the emulator's endpoint and the switches): credentials and region come
// from ~/.aws alone.
async function connect(extra = {}) {
  return connectClient(serverBinary(), {
    env: { HOME: home, AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.url, ...extra },
  });
}

async function call(client, api_operation, api_params) {
  const args = api_params === undefined ? { api_operation } : { api_operation, api_params };
  return client.callTool({ name: 'ecs_resource_management', arguments: args });
}

const SETUP_WORLD = `
ecs.create_cluster(clusterName="web-cluster")
ecs.register_task_definition(
    family="web",
    networkMode="awsvpc",
    requiresCompatibilities=["FARGATE"],
    cpu="256", memory="512",
    containerDefinitions=[{
        "name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "memory": 512,
        "essential": True,
        "portMappings": [{"containerPort": 80}],
        "environment": [{"name": "DB_PASSWORD", "value": "hunter2-very-secret"},
                        {"name": "MODE", "value": "production"}],
        "secrets": [{"name": "API_KEY",
                     "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-AbCdEf"}],
        "repositoryCredentials": {"credentialsParameter":
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-XyZ"},
    }])
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]]
sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"][0]["GroupId"]
net = {"awsvpcConfiguration": {"subnets": subnets[:1], "securityGroups": [sg], "assignPublicIp": "ENABLED"}}
ecs.create_service(cluster="web-cluster", serviceName="web", taskDefinition="web", desiredCount=1,
                   launchType="FARGATE", networkConfiguration=net)
task = ecs.run_task(cluster="web-cluster", taskDefinition="web", launchType="FARGATE",
                    networkConfiguration=net,
                    overrides={"containerOverrides": [{"name": "app",
                        "environment": [{"name": "ONE_OFF_TOKEN", "value": "tok-override-secret"}]}]})
ami = ec2.describe_images()["Images"][0]["ImageId"]
inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
ecs.register_container_instance(cluster="web-cluster",
    instanceIdentityDocument=json.dumps({"instanceId": inst, "region": "us-east-1"}))
ecs.create_capacity_provider(name="web-cp", autoScalingGroupProvider={
    "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web"})
ecr.create_repository(repositoryName="web")
ecr.put_image(repositoryName="web", imageTag="v1", imageManifest=json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
               "digest": "sha256:" + "a" * 64},
    "layers": []}))
out = {"task": task["tasks"][0]["taskArn"]}
`;

describe('ecs_resource_management against moto_server', () => {
  test('lists and describes clusters, services, tasks, task definitions, instances, capacity providers', async () => {
    const world = moto.boto(SETUP_WORLD);
    const { client } = await connect();
    try {
      const clusters = await call(client, 'ListClusters');
      assert.ok(!clusters.isError, textOf(clusters));
      assert.equal(clusters.structuredContent.operation, 'ListClusters');
      assert.equal(clusters.structuredContent.region, 'us-east-1', 'region from ~/.aws/config');
      assert.ok(clusters.structuredContent.result.clusterArns.some((a) => a.endsWith(':cluster/web-cluster')));

      const described = await call(client, 'DescribeClusters', { clusters: ['web-cluster'] });
      assert.equal(described.structuredContent.result.clusters[0].clusterName, 'web-cluster');

      const services = await call(client, 'ListServices', { cluster: 'web-cluster' });
      assert.equal(services.structuredContent.result.serviceArns.length, 1);
      const svc = await call(client, 'DescribeServices', { cluster: 'web-cluster', services: ['web'] });
      const service = svc.structuredContent.result.services[0];
      assert.equal(service.serviceName, 'web');
      assert.equal(service.desiredCount, 1);
      assert.match(service.deployments[0].createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/, 'timestamps are ISO-8601');

      const tasks = await call(client, 'ListTasks', { cluster: 'web-cluster' });
      assert.ok(tasks.structuredContent.result.taskArns.includes(world.task));
      const dt = await call(client, 'DescribeTasks', { cluster: 'web-cluster', tasks: [world.task] });
      assert.equal(dt.structuredContent.result.tasks[0].taskArn, world.task);

      const tds = await call(client, 'ListTaskDefinitions', { familyPrefix: 'web' });
      assert.ok(tds.structuredContent.result.taskDefinitionArns.some((a) => a.endsWith(':task-definition/web:1')));
      const td = await call(client, 'DescribeTaskDefinition', { taskDefinition: 'web' });
      assert.equal(td.structuredContent.result.taskDefinition.family, 'web');

      const ci = await call(client, 'ListContainerInstances', { cluster: 'web-cluster' });
      assert.equal(ci.structuredContent.result.containerInstanceArns.length, 1);
      const dci = await call(client, 'DescribeContainerInstances', {
        cluster: 'web-cluster', containerInstances: ci.structuredContent.result.containerInstanceArns });
      assert.match(dci.structuredContent.result.containerInstances[0].ec2InstanceId, /^i-/);

      const cps = await call(client, 'DescribeCapacityProviders', { capacityProviders: ['web-cp'] });
      assert.ok(!cps.isError, textOf(cps));
      assert.equal(cps.structuredContent.result.capacityProviders[0].name, 'web-cp');
    } finally {
      await client.close();
    }
  });

  test('reads ECR repositories and images', async () => {
    moto.boto(SETUP_WORLD);
    const { client } = await connect();
    try {
      const repos = await call(client, 'ecr:DescribeRepositories');
      assert.ok(!repos.isError, textOf(repos));
      assert.deepEqual(repos.structuredContent.result.repositories.map((r) => r.repositoryName), ['web']);
      const images = await call(client, 'ecr:ListImages', { repositoryName: 'web' });
      assert.deepEqual(images.structuredContent.result.imageIds.map((i) => i.imageTag), ['v1']);
      const details = await call(client, 'ecr:DescribeImages', { repositoryName: 'web' });
      const image = details.structuredContent.result.imageDetails[0];
      assert.deepEqual(image.imageTags, ['v1']);
      assert.match(image.imagePushedAt, /Z$/);
      const missing = await call(client, 'ecr:DescribeImages', { repositoryName: 'nope' });
      assert.equal(missing.isError, true);
      assert.match(textOf(missing), /RepositoryNotFoundException/);
    } finally {
      await client.close();
    }
  });

  test('secrets registered with boto3 never show without sensitive access', async () => {
    const world = moto.boto(SETUP_WORLD);
    const secrets = ['hunter2-very-secret', 'production', 'api-key-AbCdEf', 'registry-XyZ', 'tok-override-secret'];
    const { client } = await connect();
    try {
      for (const [op, params] of [
        ['DescribeTaskDefinition', { taskDefinition: 'web:1' }],
        ['DescribeTasks', { cluster: 'web-cluster', tasks: [world.task] }],
      ]) {
        const r = await call(client, op, params);
        assert.ok(!r.isError, textOf(r));
        const everything = JSON.stringify(r);
        for (const s of secrets) assert.ok(!everything.includes(s), `${op} leaked ${s}`);
        assert.ok(r.structuredContent.redactedValues >= 1, `${op} redacted nothing`);
      }
      const td = await call(client, 'DescribeTaskDefinition', { taskDefinition: 'web:1' });
      const env = td.structuredContent.result.taskDefinition.containerDefinitions[0].environment;
      assert.deepEqual(env.map((e) => e.name).sort(), ['DB_PASSWORD', 'MODE'], 'names stay visible');
      assert.match(env[0].value, /REDACTED.*ALLOW_SENSITIVE_DATA=true/);
    } finally {
      await client.close();
    }

    const open = await connect({ ALLOW_SENSITIVE_DATA: 'true' });
    try {
      const r = await call(open.client, 'DescribeTaskDefinition', { taskDefinition: 'web:1' });
      const text = JSON.stringify(r.structuredContent);
      assert.ok(text.includes('hunter2-very-secret'));
      assert.ok(text.includes('api-key-AbCdEf'));
      assert.equal(r.structuredContent.redactedValues, undefined);
    } finally {
      await open.client.close();
    }
  });

  test('writes are refused without ALLOW_WRITE and nothing reaches AWS', async () => {
    const { client } = await connect();
    try {
      const r = await call(client, 'CreateCluster', { clusterName: 'should-not-exist' });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /Operation CreateCluster requires WRITE permission\. Set ALLOW_WRITE=true/);
      const d = await call(client, 'DeleteCluster', { cluster: 'anything' });
      assert.equal(d.isError, true);
      assert.match(textOf(d), /ALLOW_WRITE=true/);
      const x = await call(client, 'ExecuteCommand', { cluster: 'c', task: 't', command: 'sh', interactive: true });
      assert.equal(x.isError, true);
      assert.match(textOf(x), /ALLOW_WRITE=true[\s\S]*ALLOW_SENSITIVE_DATA=true/);
      const tools = await client.listTools();
      const tool = tools.tools.find((t) => t.name === 'ecs_resource_management');
      assert.equal(tool.annotations.readOnlyHint, true, 'read-only while writes are off');
      assert.equal(tool.annotations.destructiveHint, false);
    } finally {
      await client.close();
    }
    const state = moto.boto('out = ecs.list_clusters()["clusterArns"]');
    assert.ok(!state.some((a) => a.includes('should-not-exist')), 'the refused write reached moto');
  });

  test('writes are performed with ALLOW_WRITE=true, as boto3 sees', async () => {
    const { client } = await connect({ ALLOW_WRITE: 'true' });
    try {
      const tools = await client.listTools();
      const tool = tools.tools.find((t) => t.name === 'ecs_resource_management');
      assert.equal(tool.annotations.readOnlyHint, false);
      assert.equal(tool.annotations.destructiveHint, true);
      const r = await call(client, 'CreateCluster', { clusterName: 'made-by-mcp' });
      assert.ok(!r.isError, textOf(r));
      assert.equal(r.structuredContent.result.cluster.clusterName, 'made-by-mcp');
      let state = moto.boto('out = ecs.describe_clusters(clusters=["made-by-mcp"])["clusters"]');
      assert.equal(state[0].status, 'ACTIVE');
      const d = await call(client, 'DeleteCluster', { cluster: 'made-by-mcp' });
      assert.ok(!d.isError, textOf(d));
      state = moto.boto('out = [c["status"] for c in ecs.describe_clusters(clusters=["made-by-mcp"])["clusters"]]');
      assert.ok(state.length === 0 || state[0] === 'INACTIVE', JSON.stringify(state));
    } finally {
      await client.close();
    }
  });

  test('bad inputs get clear errors and the server keeps working', async () => {
    const { client } = await connect();
    try {
      const unknown = await call(client, 'ListEverything');
      assert.equal(unknown.isError, true);
      assert.match(textOf(unknown), /api_operation/);
      const internal = await call(client, 'SubmitTaskStateChange', {});
      assert.equal(internal.isError, true);
      const badType = await call(client, 'ListClusters', { maxResults: 'ten' });
      assert.equal(badType.isError, true);
      assert.match(textOf(badType), /maxResults: expected integer, got string/);
      const badParams = await client.callTool({ name: 'ecs_resource_management', arguments: { api_operation: 'ListClusters', api_params: [1] } });
      assert.equal(badParams.isError, true);
      const rejected = await call(client, 'DescribeServices', { cluster: 'no-such-cluster', services: ['x'] });
      assert.equal(rejected.isError, true);
      assert.match(textOf(rejected), /ClusterNotFoundException/);
      assert.match(textOf(rejected), /request id/);
      const still = await call(client, 'ListClusters');
      assert.ok(!still.isError, textOf(still));
    } finally {
      await client.close();
    }
  });

  test('a missing region or missing credentials give clear errors quickly', async () => {
    const empty = moto.makeHome();
    const { client } = await connectClient(serverBinary(), {
      env: { HOME: '/nonexistent-home', AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.url },
    });
    try {
      const r = await call(client, 'ListClusters');
      assert.equal(r.isError, true);
      assert.match(textOf(r), /AWS_REGION/);
    } finally {
      await client.close();
    }
    const nocreds = await connectClient(serverBinary(), {
      env: { HOME: '/nonexistent-home', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: moto.url,
             AWS_EC2_METADATA_DISABLED: 'true' },
    });
    try {
      const r = await call(nocreds.client, 'ListClusters');
      assert.equal(r.isError, true);
      assert.match(textOf(r), /NoCredentials/);
      assert.match(textOf(r), /AWS_PROFILE|AWS_ACCESS_KEY_ID/);
    } finally {
      await nocreds.client.close();
    }
    assert.ok(empty);
  });
});
