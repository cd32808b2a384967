// moto_server on loopback as the AWS the agents work against, a HOME holding the only
// credentials (profile "moto"), and the ECS estate the example prompts talk about, built with
// boto3 so it does not depend on the server under test.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const AGENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(AGENTS_DIR, '..', '..');
export const APPS_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'apps');
export const PROFILE = 'moto';
export const REGION = 'us-east-1';

export function serverBinary() {
  const path = process.env.ECS_MCP_SERVER || join(REPO_ROOT, 'build', 'ecs-mcp-server');
  if (!existsSync(path)) {
    throw new Error(`ECS_MCP_SERVER=${path} does not exist: build the server, or set ECS_MCP_SERVER to its path`);
  }
  return path;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export class MotoServer {
  static async start() {
    const port = await freePort();
    const proc = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    proc.stderr.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
    const moto = new MotoServer(proc, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`moto_server exited with ${proc.exitCode}: is moto installed for python3? ${stderr}`);
      try {
        if ((await fetch(`${moto.url}/moto-api/`)).ok) break;
      } catch { /* not yet listening */ }
      if (Date.now() > deadline) {
        moto.stop();
        throw new Error(`moto_server did not answer within 30 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return moto;
  }

  constructor(proc, url) {
    this.proc = proc;
    this.url = url;
  }

  async reset() {
    const r = await fetch(`${this.url}/moto-api/reset`, { method: 'POST' });
    if (!r.ok) throw new Error(`moto reset answered ${r.status}`);
  }

  // Tasks stay RUNNING instead of moving one state per DescribeTasks.
  async pinTasksRunning() {
    const r = await fetch(`${this.url}/moto-api/state-manager/set-transition`, {
      method: 'POST',
      body: JSON.stringify({ model_name: 'ecs::task', transition: { progression: 'manual', times: 1000000 } }),
    });
    if (!r.ok) throw new Error(`moto set-transition answered ${r.status}`);
  }

  stop() {
    try { process.kill(-this.proc.pid, 'SIGTERM'); } catch { /* gone already */ }
  }

  // Runs a Python snippet with boto3 clients bound to moto; the snippet sets `out`.
  boto(code) {
    const program = [
      'import boto3, json, time',
      `kw = dict(endpoint_url=${JSON.stringify(this.url)}, region_name=${JSON.stringify(REGION)}, aws_access_key_id="testing", aws_secret_access_key="testing")`,
      'ecs = boto3.client("ecs", **kw); ecr = boto3.client("ecr", **kw); ec2 = boto3.client("ec2", **kw)',
      'logs = boto3.client("logs", **kw); elbv2 = boto3.client("elbv2", **kw); cfn = boto3.client("cloudformation", **kw)',
      'out = None',
      code,
      'print(json.dumps(out, default=str))',
    ].join('\n');
    const text = execFileSync('python3', ['-c', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(text.trim().split('\n').pop());
  }

  clusterNames() {
    return this.boto('out = sorted(a.split("/")[-1] for a in ecs.list_clusters()["clusterArns"])');
  }
}

// A HOME whose ~/.aws has the profile the server is told to use, and nothing else.
export function makeHome() {
  const home = mkdtempSync(join(tmpdir(), 'ecs-mcp-agents-home-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'credentials'),
    `[${PROFILE}]\naws_access_key_id = testing\naws_secret_access_key = testing\n`);
  writeFileSync(join(home, '.aws', 'config'), `[profile ${PROFILE}]\nregion = ${REGION}\noutput = json\n`);
  return home;
}

// The environment a platform agent gives the server's process: nothing but these.
export function agentEnv({ home, moto, write = false, sensitive = false }) {
  return {
    HOME: home,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_REGION: REGION,
    AWS_PROFILE: PROFILE,
    AWS_ENDPOINT_URL: moto.url,
    ALLOW_WRITE: write ? 'true' : 'false',
    ALLOW_SENSITIVE_DATA: sensitive ? 'true' : 'false',
  };
}

// A scratch copy of a sample app (tools write Dockerfiles and templates into it).
export function copyApp(name, into) {
  const dst = join(into, name);
  cpSync(join(APPS_DIR, name), dst, { recursive: true });
  return dst;
}

export function scratchDir() {
  return mkdtempSync(join(tmpdir(), 'ecs-mcp-agents-work-'));
}

export function removeDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export const PULL_FAILURE = (image) =>
  `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${image}: not found`;

// The estate behind the prompts:
// - clusters "shop-prod" (the one with the app) and "shop-staging" (empty);
// - a VPC with two public subnets, an internet-facing ALB on port 80, its target group probing
//   port 80 while the container listens on 8080, and a task security group that admits only
//   port 80 from the ALB (so the load balancer cannot reach the tasks);
// - task definition "storefront" (awsvpc, Fargate, an ECR image whose tag was never pushed,
//   awslogs to /ecs/storefront), service "storefront" (2 tasks wanted) behind the ALB;
// - two RUNNING tasks, and three tasks stopped with the image-pull reason ECS writes.
export async function buildEstate(moto) {
  await moto.pinTasksRunning();
  return moto.boto(`
vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
sub_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.42.0.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
sub_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.42.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
for s in (sub_a, sub_b):
    ec2.associate_route_table(RouteTableId=rt, SubnetId=s)
alb_sg = ec2.create_security_group(GroupName="storefront-alb", Description="alb", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=alb_sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
task_sg = ec2.create_security_group(GroupName="storefront-tasks", Description="tasks", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=task_sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": alb_sg}]}])
alb = elbv2.create_load_balancer(Name="storefront-alb", Subnets=[sub_a, sub_b], SecurityGroups=[alb_sg],
                                 Scheme="internet-facing", Type="application")["LoadBalancers"][0]
tg = elbv2.create_target_group(Name="storefront-tg", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
                               HealthCheckPath="/healthz", HealthCheckPort="80")["TargetGroups"][0]["TargetGroupArn"]
elbv2.create_listener(LoadBalancerArn=alb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                      DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])

prod = ecs.create_cluster(clusterName="shop-prod")["cluster"]["clusterArn"]
staging = ecs.create_cluster(clusterName="shop-staging")["cluster"]["clusterArn"]
repo = ecr.create_repository(repositoryName="storefront")["repository"]["repositoryUri"]
image = repo + ":v7"
td = ecs.register_task_definition(
    family="storefront", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
    containerDefinitions=[{
        "name": "web", "image": image, "memory": 512, "essential": True,
        "portMappings": [{"containerPort": 8080}],
        "environment": [{"name": "STRIPE_KEY", "value": "sk_live_do_not_show"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/storefront", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}}])["taskDefinition"]["taskDefinitionArn"]
logs.create_log_group(logGroupName="/ecs/storefront")
net = {"awsvpcConfiguration": {"subnets": [sub_a], "securityGroups": [task_sg], "assignPublicIp": "DISABLED"}}
svc = ecs.create_service(cluster="shop-prod", serviceName="storefront", taskDefinition="storefront", desiredCount=2,
                         launchType="FARGATE", networkConfiguration=net,
                         loadBalancers=[{"targetGroupArn": tg, "containerName": "web", "containerPort": 8080}])["service"]["serviceArn"]
running = []
for i in range(2):
    running.append(ecs.run_task(cluster="shop-prod", taskDefinition="storefront", launchType="FARGATE",
                                networkConfiguration=net, startedBy="ecs-svc/7777")["tasks"][0]["taskArn"])
reason = ${JSON.stringify(PULL_FAILURE('REPLACE_IMAGE'))}.replace("REPLACE_IMAGE", image)
failed = []
for i in range(3):
    arn = ecs.run_task(cluster="shop-prod", taskDefinition="storefront", launchType="FARGATE",
                       networkConfiguration=net, startedBy="ecs-svc/7777")["tasks"][0]["taskArn"]
    stream = "ecs/web/" + arn.split("/")[-1]
    logs.create_log_stream(logGroupName="/ecs/storefront", logStreamName=stream)
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName="/ecs/storefront", logStreamName=stream, logEvents=[
        {"timestamp": now - 2000, "message": "INFO booting storefront"},
        {"timestamp": now - 1000, "message": "ERROR upstream payments 10.0.3.4:443 unreachable"}])
    ecs.stop_task(cluster="shop-prod", task=arn, reason=reason)
    failed.append(arn)
out = {"vpc": vpc, "subnets": [sub_a, sub_b], "alb_sg": alb_sg, "task_sg": task_sg, "alb_dns": alb["DNSName"],
       "tg": tg, "prod": prod, "staging": staging, "image": image, "task_definition": td, "service": svc,
       "running": running, "failed": failed}
`);
}
