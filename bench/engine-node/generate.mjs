// llama.cpp baseline for bench/ModelSwap.Bench.Engine, driven by node-llama-cpp's prebuilt CPU binary.
// Usage: node generate.mjs --model FILE [--threads 1] [--tokens 128] [--ctx-size 4096] [--sequences 1] --prompt TEXT
// Loads the model once and prints one JSON line {"event":"ready",...}; then every "run [N]" line on
// stdin generates greedily from the prompt in N sequences at once (default 1; llama.cpp batches them
// into one decode per step) and prints {"event":"result",...}. Ends on stdin EOF.
// Any failure prints {"event":"error","message":...} and exits 1, so the driver can report the reason.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const emit = (value) => process.stdout.write(JSON.stringify(value) + "\n");

let args;
try {
    args = parseArgs({
        options: {
            model: { type: "string" },
            threads: { type: "string", default: "1" },
            tokens: { type: "string", default: "128" },
            "ctx-size": { type: "string", default: "4096" },
            sequences: { type: "string", default: "1" },
            prompt: { type: "string" },
        },
    }).values;
    if (!args.model || args.prompt === undefined) throw new Error("--model and --prompt are required");
} catch (error) {
    emit({ event: "error", stage: "arguments", message: String(error?.message ?? error) });
    process.exit(2);
}

const threads = Number(args.threads);
const maxTokens = Number(args.tokens);
const contextSize = Number(args["ctx-size"]);
const sequenceCount = Number(args.sequences);

let stage = "import";
try {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    stage = "getLlama";
    // The prebuilt CPU binary only: never build from source, never download anything.
    const llama = await getLlama({
        gpu: false,
        build: "never",
        maxThreads: threads,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => process.stderr.write(`[llama.cpp ${level}] ${message}\n`),
    });
    stage = "loadModel";
    const loadStarted = performance.now();
    const model = await llama.loadModel({ modelPath: args.model, gpuLayers: 0 });
    stage = "createContext";
    // contextSize is per sequence, like the engine's --ctx-size with --parallel.
    const context = await model.createContext({ threads, contextSize, sequences: sequenceCount, batchSize: 512 });
    const loadMs = performance.now() - loadStarted;
    const sequences = Array.from({ length: sequenceCount }, () => context.getSequence());

    // The same tokens the engine's /v1/completions makes from the same text: one BOS when the
    // model wants it, then the text with special tokens recognised.
    const promptTokens = model.tokens.shouldPrependBosToken && model.tokens.bos !== null
        ? [model.tokens.bos, ...model.tokenize(args.prompt, true)]
        : model.tokenize(args.prompt, true);

    emit({
        event: "ready",
        loadMs,
        promptTokens: promptTokens.length,
        threads: context.idealThreads,
        contextSize: context.contextSize,
        sequences: sequenceCount,
        flashAttention: context.flashAttention,
        gpu: llama.gpu,
        buildType: llama.buildType,
        cpuVariant: llama.systemInfo ?? null,
    });

    stage = "generate";
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
        const [command, count = "1"] = line.trim().split(/\s+/);
        if (command !== "run") continue;
        const streams = Math.min(Math.max(1, Number(count) || 1), sequenceCount);
        const used = sequences.slice(0, streams);
        await Promise.all(used.map((sequence) => sequence.clearHistory()));
        const started = performance.now();
        const runs = await Promise.all(used.map((sequence) => generate(sequence, started)));
        const wallMs = Math.max(...runs.map((run) => run.wallMs));
        const generated = runs.reduce((sum, run) => sum + run.completionTokens, 0);
        emit({
            event: "result",
            ...runs[0],
            streams: runs.length,
            aggregateWallMs: wallMs,
            aggregatePerSecond: wallMs > 0 ? (generated * 1000) / wallMs : 0,
            streamsPredictedPerSecond: runs.map((run) => run.predictedPerSecond),
        });
    }

    async function generate(sequence, started) {
        let firstAt = 0;
        let lastAt = 0;
        let generated = 0;
        // Greedy, no penalties: the engine side asks for temperature 0 as well. Breaking out after the
        // last token leaves it sampled but not decoded, exactly as a server ending on max_tokens does.
        for await (const token of sequence.evaluate(promptTokens, { temperature: 0 })) {
            void token;
            lastAt = performance.now();
            if (generated === 0) firstAt = lastAt;
            generated++;
            if (generated >= maxTokens) break;
        }
        const promptMs = firstAt - started;
        const predictedMs = lastAt - firstAt;
        return {
            promptTokens: promptTokens.length,
            completionTokens: generated,
            promptMs,
            // llama-server's definition (the engine's `timings.predicted_per_second` uses it too):
            // generated tokens over the time from the first sampled token to the last.
            predictedMs,
            predictedPerSecond: predictedMs > 0 ? (generated * 1000) / predictedMs : 0,
            wallMs: lastAt - started,
        };
    }
    await context.dispose();
    await model.dispose();
    await llama.dispose();
} catch (error) {
    emit({ event: "error", stage, message: String(error?.stack ?? error?.message ?? error) });
    process.exit(1);
}
