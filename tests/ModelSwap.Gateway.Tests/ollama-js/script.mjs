// Drives ModelSwap's Ollama API with the official ollama npm package (ollama-js), as Open WebUI or a
// user script would. Prints one JSON object of what it saw; OllamaJsClientTests checks it.
// Env: OLLAMA_HOST, CHAT_MODEL, EMBED_MODEL, PULL_MODEL (hf.co/org/repo:QUANT on the local mirror).
import { Ollama } from 'ollama';

const ollama = new Ollama({ host: process.env.OLLAMA_HOST });
const chatModel = process.env.CHAT_MODEL;
const embedModel = process.env.EMBED_MODEL;
const pullModel = process.env.PULL_MODEL;
const out = {};

out.version = await ollama.version();
out.list = (await ollama.list()).models.map(m => ({ name: m.name, size: m.size, digest: m.digest, details: m.details }));
const show = await ollama.show({ model: chatModel });
out.show = { capabilities: show.capabilities, details: show.details, modelInfoKeys: Object.keys(show.model_info ?? {}),
  architecture: show.model_info?.['general.architecture'], parameters: show.parameters, template: show.template };

const chat = await ollama.chat({ model: chatModel, messages: [{ role: 'user', content: 'hello' }], options: { num_predict: 6, seed: 3 } });
out.chat = { content: chat.message.content, role: chat.message.role, done: chat.done, done_reason: chat.done_reason, eval_count: chat.eval_count,
  prompt_eval_count: chat.prompt_eval_count, total_duration: chat.total_duration };

let parts = 0, text = '', last;
for await (const part of await ollama.chat({ model: chatModel, messages: [{ role: 'user', content: 'hello' }], stream: true, options: { num_predict: 6, seed: 3 } })) {
  parts++; text += part.message.content; last = part;
}
out.chatStream = { parts, text, done: last.done, done_reason: last.done_reason, eval_count: last.eval_count };

const generated = await ollama.generate({ model: chatModel, prompt: 'once upon a time', options: { num_predict: 4 } });
out.generate = { response: generated.response, done: generated.done, eval_count: generated.eval_count };
parts = 0; text = '';
for await (const part of await ollama.generate({ model: chatModel, prompt: 'once upon a time', stream: true, options: { num_predict: 4 } })) {
  parts++; text += part.response; last = part;
}
out.generateStream = { parts, text, done: last.done };

const embedded = await ollama.embed({ model: embedModel, input: ['hello', 'world'] });
out.embed = { count: embedded.embeddings.length, dimensions: embedded.embeddings[0].length,
  norm: Math.sqrt(embedded.embeddings[0].reduce((s, v) => s + v * v, 0)) };

out.ps = (await ollama.ps()).models.map(m => ({ name: m.name, size: m.size, expires_at: m.expires_at, context_length: m.context_length }));
// keep_alive 0: answered, then unloaded.
await ollama.generate({ model: chatModel, prompt: 'bye', keep_alive: 0, options: { num_predict: 2 } });
out.psAfterKeepAlive0 = (await ollama.ps()).models.map(m => m.name);

try {
  await ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  out.missing = 'no error';
} catch (error) {
  out.missing = { name: error.name, message: error.message, status: error.status_code };
}

const progress = [];
for await (const part of await ollama.pull({ model: pullModel, stream: true })) {
  progress.push(part);
}
out.pull = { statuses: progress.map(p => p.status), completed: progress.filter(p => p.completed !== undefined).map(p => [p.completed, p.total]) };
out.listAfterPull = (await ollama.list()).models.map(m => m.name);
const repull = await ollama.pull({ model: pullModel, stream: false });
out.repull = repull.status;

const pulledName = out.listAfterPull.find(n => !out.list.some(m => m.name === n));
out.pulledName = pulledName;
if (!pulledName) {
  throw new Error(`the pulled model is not listed: ${JSON.stringify(out)}`);
}
await ollama.delete({ model: pulledName });
out.listAfterDelete = (await ollama.list()).models.map(m => m.name);

console.log(JSON.stringify(out));
