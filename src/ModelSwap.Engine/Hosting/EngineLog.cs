using Microsoft.Extensions.Logging;

namespace ModelSwap.Engine.Hosting;

/// <summary>The engine's log messages, in one place so their wording and levels stay consistent.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {Address}; loading model {ModelPath}")]
    public static partial void Listening(ILogger logger, string address, string modelPath);

    [LoggerMessage(2, LogLevel.Information, "Model {ModelId} ready in {LoadSeconds:0.000} s: {Parameters} parameters, context {ContextSize} tokens x {Parallel} slots, {Threads} thread(s){EmbeddingsNote}")]
    public static partial void ModelReady(ILogger logger, string modelId, double loadSeconds, ulong parameters, int contextSize, int parallel, int threads, string embeddingsNote);

    [LoggerMessage(3, LogLevel.Error, "Failed to load model {ModelPath}: {Reason}")]
    public static partial void LoadFailed(ILogger logger, string modelPath, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Chat template: {Reason}")]
    public static partial void ChatTemplateFallback(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Debug, "llama.cpp: {Message}")]
    public static partial void NativeMessage(ILogger logger, string message);

    [LoggerMessage(6, LogLevel.Warning, "llama.cpp: {Message}")]
    public static partial void NativeError(ILogger logger, string message);

    [LoggerMessage(7, LogLevel.Error, "Inference failed: {Result}; ending {Count} active request(s)")]
    public static partial void InferenceFailed(ILogger logger, string result, int count);

    [LoggerMessage(8, LogLevel.Error, "The inference loop stopped unexpectedly")]
    public static partial void LoopCrashed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "Request {RequestId}: {PromptTokens} prompt + {CompletionTokens} completion tokens, finish {FinishReason}, {TokensPerSecond:0.0} tokens/s")]
    public static partial void GenerationDone(ILogger logger, string requestId, int promptTokens, int completionTokens, string finishReason, double tokensPerSecond);

    [LoggerMessage(10, LogLevel.Information, "Stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(11, LogLevel.Error, "Request failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "Fetched image {Url}: {Bytes} bytes, {MediaType}")]
    public static partial void ImageFetched(ILogger logger, string url, int bytes, string mediaType);
}
