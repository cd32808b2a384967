// A LangGraph ReAct agent (createReactAgent) whose model is ChatOpenAI pointed at the fake
// Chat Completions server, and whose tools come from ecs-mcp-server through
// @langchain/mcp-adapters, in the two ways agents launch it:
// - persistent: one MultiServerMCPClient, one server process for the whole conversation;
// - per call: each tool call opens a new MultiServerMCPClient (a new server process with the
//   stripped environment) and closes it afterwards, as the Python adapter does.
import { ChatOpenAI } from '@langchain/openai';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { DynamicStructuredTool } from '@langchain/core/tools';

import { serverBinary } from './aws_world.mjs';

function serverConfig(env) {
  return {
    ecs: { transport: 'stdio', command: serverBinary(), args: [], env, stderr: 'pipe' },
  };
}

export async function persistentTools(env) {
  const client = new MultiServerMCPClient({ mcpServers: serverConfig(env), throwOnLoadError: true, useStandardContentBlocks: false });
  const tools = await client.getTools();
  return { client, tools, close: () => client.close() };
}

// Tools with the server's names, descriptions and schemas, each call in a fresh process.
export async function perCallTools(env) {
  const stats = { sessionsOpened: 0, sessionsClosed: 0, calls: [] };
  const lister = new MultiServerMCPClient({ mcpServers: serverConfig(env), throwOnLoadError: true });
  stats.sessionsOpened++;
  let defs;
  try {
    defs = await lister.getTools();
  } finally {
    await lister.close();
    stats.sessionsClosed++;
  }
  const tools = defs.map((def) => new DynamicStructuredTool({
    name: def.name,
    description: def.description,
    schema: def.schema,
    responseFormat: 'content_and_artifact',
    func: async (args, runManager, config) => {
      const client = new MultiServerMCPClient({ mcpServers: serverConfig(env), throwOnLoadError: true });
      stats.sessionsOpened++;
      stats.calls.push(def.name);
      try {
        const fresh = (await client.getTools()).find((t) => t.name === def.name);
        if (!fresh) throw new Error(`tool ${def.name} vanished from the server's tools/list`);
        return await fresh.func(args, runManager, config);
      } finally {
        await client.close();
        stats.sessionsClosed++;
      }
    },
  }));
  return { tools, stats, close: async () => {} };
}

export async function runLangGraph({ fake, tools, prompt, recursionLimit = 24 }) {
  const llm = new ChatOpenAI({
    model: 'gpt-4o',
    apiKey: 'test',
    temperature: 0,
    maxRetries: 0,
    streaming: false,
    configuration: { baseURL: fake.url },
  });
  const agent = createReactAgent({ llm, tools });
  try {
    const state = await agent.invoke({ messages: [{ role: 'user', content: prompt }] }, { recursionLimit });
    const last = state.messages[state.messages.length - 1];
    return { state, answer: typeof last.content === 'string' ? last.content : JSON.stringify(last.content) };
  } catch (err) {
    const refused = fake.violations();
    throw new Error(`LangGraph agent failed on "${prompt}": ${err.message}` +
      (refused.length ? `\nthe fake OpenAI endpoint refused: ${refused.join(' | ')}` : ''), { cause: err });
  }
}
