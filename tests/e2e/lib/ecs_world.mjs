// Troubleshooting scenarios built on moto_server with boto3: a VPC with a public subnet, an
// internet-facing ALB in front of an awsvpc Fargate service, task definitions that log with
// awslogs, tasks stopped with the reasons ECS writes, and their log lines. Each function
// returns the names and IDs the tests ask about.
//
// moto keeps tasks RUNNING only when the state manager is told to (otherwise a task moves a
// state per DescribeTasks), so pinTasksRunning() comes first.

export async function pinTasksRunning(moto) {
  const r = await fetch(`${moto.url}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    body: JSON.stringify({ model_name: 'ecs::task', transition: { progression: 'manual', times: 1000000 } }),
  });
  if (!r.ok) throw new Error(`set-transition failed: ${r.status}`);
}

// Python (run by moto.boto) that builds the network and defines `vpc`, `public`, `public2`,
// `alb_sg`, `task_sg`, `alb`, `tg`, with the task security group admitting only port 80 from
// the ALB while the container listens on 8080.
const NETWORK = `
vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.0.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
public2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=rt, SubnetId=public)
ec2.associate_route_table(RouteTableId=rt, SubnetId=public2)
alb_sg = ec2.create_security_group(GroupName="web-alb", Description="alb", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=alb_sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
task_sg = ec2.create_security_group(GroupName="web-task", Description="tasks", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=task_sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": alb_sg}]}])
alb = elbv2.create_load_balancer(Name="web-alb", Subnets=[public, public2], SecurityGroups=[alb_sg],
                                 Scheme="internet-facing", Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
tg = elbv2.create_target_group(Name="web-tg", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
                               HealthCheckPath="/health", HealthCheckPort=HC_PORT)["TargetGroups"][0]["TargetGroupArn"]
elbv2.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80,
                      DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
`;

// The web service: cluster, task definition (ECR image, awslogs to /ecs/web with prefix
// "ecs", no execution role), log group, ECR repository without the tag, and the service
// behind the ALB with assignPublicIp DISABLED in a public subnet.
export function webService(moto, { healthCheckPort = 'traffic-port' } = {}) {
  return moto.boto(`
HC_PORT = ${JSON.stringify(healthCheckPort)}
${NETWORK}
ecs.create_cluster(clusterName="web-cluster")
account = "123456789012"
repo = ecr.create_repository(repositoryName="web")["repository"]["repositoryUri"]
image = repo + ":v2"
ecs.register_task_definition(
    family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
    containerDefinitions=[{
        "name": "app", "image": image, "memory": 512, "essential": True,
        "portMappings": [{"containerPort": 8080}],
        "environment": [{"name": "DB_PASSWORD", "value": "hunter2-very-secret"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}}])
logs.create_log_group(logGroupName="/ecs/web")
net = {"awsvpcConfiguration": {"subnets": [public], "securityGroups": [task_sg], "assignPublicIp": "DISABLED"}}
ecs.create_service(cluster="web-cluster", serviceName="web", taskDefinition="web", desiredCount=2,
                   launchType="FARGATE", networkConfiguration=net,
                   loadBalancers=[{"targetGroupArn": tg, "containerName": "app", "containerPort": 8080}])
out = {"vpc": vpc, "public": public, "alb_sg": alb_sg, "task_sg": task_sg, "tg": tg, "image": image}
`);
}

// Starts `count` tasks of the web family, stops each with `reason` (as ECS would word it),
// and writes `lines` to each task's awslogs stream. Returns the task IDs.
export function failingTasks(moto, { count = 2, reason, lines = [] }) {
  return moto.boto(`
import time
sub = ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.20.0.0/24"]}])["Subnets"][0]["SubnetId"]
sg = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["web-task"]}])["SecurityGroups"][0]["GroupId"]
net = {"awsvpcConfiguration": {"subnets": [sub], "securityGroups": [sg], "assignPublicIp": "DISABLED"}}
ids = []
for i in range(${count}):
    arn = ecs.run_task(cluster="web-cluster", taskDefinition="web", launchType="FARGATE",
                       networkConfiguration=net, startedBy="ecs-svc/1234")["tasks"][0]["taskArn"]
    task_id = arn.split("/")[-1]
    ids.append(task_id)
    stream = "ecs/app/" + task_id
    logs.create_log_stream(logGroupName="/ecs/web", logStreamName=stream)
    now = int(time.time() * 1000)
    lines = ${JSON.stringify(lines)}
    if lines:
        logs.put_log_events(logGroupName="/ecs/web", logStreamName=stream,
                            logEvents=[{"timestamp": now - 1000 * (len(lines) - n), "message": m} for n, m in enumerate(lines)])
    ecs.stop_task(cluster="web-cluster", task=arn, reason=${JSON.stringify(reason)})
out = ids
`);
}
