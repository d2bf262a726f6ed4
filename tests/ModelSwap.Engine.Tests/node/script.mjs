// One chat completion and one streamed chat completion against a running engine, with the official
// openai npm package, unchanged. ENGINE_URL is the engine's base address (e.g. http://127.0.0.1:8080).
// Prints one JSON line with what the client received; the xunit test asserts on it.
import OpenAI from "openai";

const baseURL = new URL("/v1", process.env.ENGINE_URL ?? "").toString();
const model = process.env.ENGINE_MODEL ?? "tiny";
const client = new OpenAI({ baseURL, apiKey: "not-needed", maxRetries: 0, timeout: 60_000 });

const messages = [{ role: "user", content: "Say something about cats." }];

const chat = await client.chat.completions.create({ model, messages, max_tokens: 12, seed: 5 });

const stream = await client.chat.completions.create({
  model,
  messages,
  max_tokens: 12,
  seed: 5,
  stream: true,
  stream_options: { include_usage: true },
});
let text = "";
let chunks = 0;
let finishReason = null;
let usage = null;
for await (const chunk of stream) {
  chunks++;
  for (const choice of chunk.choices) {
    text += choice.delta?.content ?? "";
    finishReason = choice.finish_reason ?? finishReason;
  }
  usage = chunk.usage ?? usage;
}

console.log(JSON.stringify({
  chat: {
    id: chat.id,
    model: chat.model,
    content: chat.choices[0].message.content,
    finishReason: chat.choices[0].finish_reason,
    usage: chat.usage,
  },
  stream: { text, chunks, finishReason, usage },
}));
