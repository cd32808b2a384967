// A Vercel AI SDK agent: generateText (or streamText) with the tools of ecs-mcp-server from
// @ai-sdk/mcp over stdio, and @ai-sdk/openai's Chat Completions model pointed at the fake
// OpenAI-compatible server. One MCP session (one server process) per client.
import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText } from 'ai';

import { serverBinary } from './aws_world.mjs';

export async function mcpTools(env) {
  const transport = new Experimental_StdioMCPTransport({ command: serverBinary(), args: [], env, stderr: 'pipe' });
  const client = await createMCPClient({ transport, name: 'ecs-mcp-agents-test' });
  try {
    const tools = await client.tools();
    return { client, tools, close: () => client.close() };
  } catch (err) {
    await client.close();
    throw err;
  }
}

function model(fake) {
  const provider = createOpenAI({ baseURL: fake.url, apiKey: 'test', name: 'fake-openai' });
  return provider.chat('gpt-4o');
}

export async function runVercel({ fake, tools, prompt, maxSteps = 12, stream = false }) {
  try {
    if (stream) {
      const result = streamText({
        model: model(fake), tools, prompt, stopWhen: stepCountIs(maxSteps), maxRetries: 0,
        onError: () => {},
      });
      const text = await result.text;
      const steps = await result.steps;
      return { text, steps };
    }
    const result = await generateText({ model: model(fake), tools, prompt, stopWhen: stepCountIs(maxSteps), maxRetries: 0 });
    return { text: result.text, steps: result.steps };
  } catch (err) {
    const refused = fake.violations();
    throw new Error(`Vercel AI SDK agent failed on "${prompt}": ${err.message}` +
      (refused.length ? `\nthe fake OpenAI endpoint refused: ${refused.join(' | ')}` : ''), { cause: err });
  }
}
