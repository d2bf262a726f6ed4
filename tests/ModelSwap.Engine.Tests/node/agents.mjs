// Agent-framework clients against a running ModelSwap (or engine): the Vercel AI SDK (generateObject,
// streamText with tools, over chat completions and the Responses API), LangChain (withStructuredOutput,
// bindTools) and openai's responses.create. BASE_URL is the server's base address, MODEL the model.
// The model has random weights: checks are on the protocol and on schema-valid structured output.
// Prints one JSON line; the xunit test asserts on it.
import OpenAI from "openai";
import { generateObject, streamText, tool, jsonSchema } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";

const baseURL = new URL("/v1", process.env.BASE_URL ?? "").toString();
const model = process.env.MODEL ?? "tiny";
const result = {};

const Reading = z.object({
  unit: z.enum(["c", "f"]),
  count: z.number().int().min(0).max(100),
  ok: z.boolean(),
});
const weather = tool({
  description: "Weather for a city",
  inputSchema: z.object({ city: z.enum(["Paris", "Oslo"]) }),
});

// AI SDK over chat completions (openai-compatible provider with structured outputs).
const compatible = createOpenAICompatible({ name: "modelswap", baseURL, apiKey: "x", supportsStructuredOutputs: true });
result.generateObjectChat = [];
for (const seed of [1, 2, 3]) {
  const { object } = await generateObject({ model: compatible(model), schema: Reading, prompt: "a reading", seed, maxOutputTokens: 120 });
  result.generateObjectChat.push(Reading.parse(object));
}

// zod's own number ranges, ±2^53 int() bounds and formats (each written with a pattern beside it):
// the grammar must produce what zod's parse accepts.
const Formats = z.object({
  score: z.number().min(0).max(1),
  id: z.number().int(),
  size: z.number().positive(),
  day: z.iso.date(),
  key: z.uuid(),
  link: z.url(),
});
result.generateObjectFormats = [];
for (const seed of [1, 2]) {
  const { object } = await generateObject({ model: compatible(model), schema: Formats, prompt: "a record", seed, maxOutputTokens: 300 });
  result.generateObjectFormats.push(Formats.parse(object));
}

// AI SDK's default provider: the Responses API.
const openai = createOpenAI({ baseURL, apiKey: "x" });
const { object: viaResponses } = await generateObject({ model: openai(model), schema: Reading, prompt: "a reading", maxOutputTokens: 120 });
result.generateObjectResponses = Reading.parse(viaResponses);

// streamText with a required tool, over chat completions and over the Responses API.
for (const [name, m] of [["streamTextChat", openai.chat(model)], ["streamTextResponses", openai(model)]]) {
  const stream = streamText({ model: m, prompt: "Weather in Paris?", tools: { weather }, toolChoice: "required", maxOutputTokens: 120, seed: 4 });
  const calls = [];
  for await (const part of stream.fullStream) {
    if (part.type === "tool-call") calls.push({ name: part.toolName, input: part.input });
    if (part.type === "error") throw part.error;
  }
  result[name] = { calls, finishReason: await stream.finishReason };
}

// With tools offered but not forced, content streams as it is generated (not held to the end):
// AI SDK streamText over chat completions, and openai's chat.completions stream.
{
  const stream = streamText({ model: openai.chat(model), prompt: "Hello", tools: { weather }, toolChoice: "auto", maxOutputTokens: 16, seed: 5 });
  let textDeltas = 0;
  for await (const part of stream.fullStream) {
    if (part.type === "text-delta" && part.text.length > 0) textDeltas++;
    if (part.type === "error") throw part.error;
  }
  result.streamTextAutoTools = { textDeltas, finishReason: await stream.finishReason };
  const sdk = new OpenAI({ baseURL, apiKey: "x", maxRetries: 0 });
  let contentChunks = 0;
  let finish = null;
  const chunks = await sdk.chat.completions.create({
    model, messages: [{ role: "user", content: "Hello" }], max_tokens: 16, seed: 5, stream: true,
    tools: [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
  });
  for await (const chunk of chunks) {
    if (chunk.choices[0]?.delta?.content) contentChunks++;
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  result.openaiStreamAutoTools = { contentChunks, finish };
}

// LangChain.
const chat = new ChatOpenAI({ model, apiKey: "x", configuration: { baseURL }, maxTokens: 120, maxRetries: 0 });
const structured = chat.withStructuredOutput(Reading);
result.withStructuredOutput = Reading.parse(await structured.invoke("a reading"));
const bound = chat.bindTools(
  [{ type: "function", function: { name: "weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Oslo"] } }, required: ["city"] } } }],
  { tool_choice: "required" });
const message = await bound.invoke("Weather in Paris?");
result.bindTools = message.tool_calls.map((c) => ({ name: c.name, args: c.args, id: c.id }));

// openai's Responses API, whole and streamed.
const client = new OpenAI({ baseURL, apiKey: "x", maxRetries: 0 });
const response = await client.responses.create({ model, input: "Hello", instructions: "Be brief.", max_output_tokens: 8 });
const events = [];
let streamedText = "";
for await (const event of await client.responses.create({ model, input: "Hello", max_output_tokens: 8, stream: true })) {
  events.push(event.type);
  if (event.type === "response.output_text.delta") streamedText += event.delta;
}
result.responses = { id: response.id, status: response.status, text: response.output_text, usage: response.usage, events, streamedText };

console.log(JSON.stringify(result));
