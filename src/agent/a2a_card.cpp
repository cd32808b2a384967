#include "agent/a2a_card.h"

namespace ecs_mcp::agent {

using json = nlohmann::json;

namespace {

json skill(const std::string& id, const std::string& name, const std::string& description,
           json tags, json examples) {
  return {{"id", id},
          {"name", name},
          {"description", description},
          {"tags", std::move(tags)},
          {"examples", std::move(examples)},
          {"inputModes", {"text/plain"}},
          {"outputModes", {"text/plain"}}};
}

}  // namespace

json agent_card(const CardFacts& facts) {
  std::string description =
      "An AWS agent: a language model answering requests with the tools of its MCP servers.";
  json skills = json::array();
  if (facts.ecs_enabled) {
    description += std::string(" It works on Amazon ECS through the Amazon ECS MCP server.") +
                   (facts.allow_write
                        ? " Writes are ENABLED (ECS_MCP_ALLOW_WRITE=true): it can create, deploy, "
                          "change and delete resources; deletions are confirmed by the caller "
                          "(the task asks for input)."
                        : " Writes are DISABLED (ECS_MCP_ALLOW_WRITE is not true): it reads, "
                          "diagnoses and prepares files, but creates, changes and deletes "
                          "nothing.") +
                   (facts.allow_sensitive_data
                        ? " Sensitive data is ENABLED (ECS_MCP_ALLOW_SENSITIVE_DATA=true): it "
                          "reads container logs."
                        : " Sensitive data is DISABLED (ECS_MCP_ALLOW_SENSITIVE_DATA is not "
                          "true): it does not read container logs.");
    skills.push_back(skill(
        "ecs-deploy", "Containerize and deploy to Amazon ECS",
        facts.allow_write
            ? "Writes a Dockerfile for a web application, creates the ECR repository and an ECS "
              "service on Fargate behind a load balancer, reports the deployment's status and "
              "URL, and deletes a deployment after confirmation."
            : "Writes a Dockerfile and the CloudFormation templates for a web application; with "
              "writes disabled it creates no AWS resources.",
        {"ecs", "deploy", "containers", "fargate"},
        {"Containerize this Node.js app and deploy it to AWS",
         "Deploy this Flask application to Amazon ECS",
         "Create an ECS deployment for this web application with auto-scaling"}));
    skills.push_back(skill(
        "ecs-troubleshoot", "Troubleshoot Amazon ECS",
        "Diagnoses failing tasks and deployments: stopped-task reasons, service events, load "
        "balancer health checks, network configuration" +
            std::string(facts.allow_sensitive_data ? " and container logs." : "."),
        {"ecs", "troubleshooting", "diagnosis"},
        {"My ECS tasks keep failing, can you diagnose the issue?",
         "Help me troubleshoot my ECS deployment", "Why can't I access my deployed application?"}));
    skills.push_back(skill(
        "ecs-resources", "Inspect and manage ECS resources",
        facts.allow_write ? "Lists, describes, creates, updates and deletes clusters, services, "
                            "tasks and task definitions."
                          : "Lists and describes clusters, services, tasks and task definitions.",
        {"ecs", "clusters", "services", "tasks"},
        {"List all my ECS clusters", "Show me the services in my production cluster"}));
    skills.push_back(skill("ecs-documentation", "Amazon ECS documentation",
                           "Searches and reads the AWS documentation to answer questions about "
                           "Amazon ECS.",
                           {"ecs", "documentation"},
                           {"How do I configure health checks for an ECS service behind an "
                            "Application Load Balancer?"}));
  }
  if (!facts.ecs_enabled || facts.other_tools > 0) {
    skills.push_back(skill("aws-assistant", "AWS questions",
                           "Answers questions about AWS, using the tools of the MCP servers it "
                           "was configured with (" +
                               std::to_string(facts.other_tools) + " tools).",
                           {"aws"}, {"What can you do for me?"}));
  }
  json card{
      {"name", "ecs-agent"},
      {"description", description},
      {"url", facts.url},
      {"version", facts.version},
      {"protocolVersion", kA2aProtocolVersion},
      {"preferredTransport", "JSONRPC"},
      {"capabilities",
       {{"streaming", true}, {"pushNotifications", false}, {"stateTransitionHistory", false}}},
      {"defaultInputModes", {"text/plain"}},
      {"defaultOutputModes", {"text/plain"}},
      {"skills", skills}};
  if (facts.bearer_token) {
    card["securitySchemes"] = {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}};
    card["security"] = json::array({{{"bearer", json::array()}}});
  }
  return card;
}

}  // namespace ecs_mcp::agent
