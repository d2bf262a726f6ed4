using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// Ollama's /api/generate request upstream: a chat completion (the server applies the model's chat
/// template, as Ollama does), a plain completion with <c>raw</c>, or llama-server's /infill when a
/// <c>suffix</c> asks for fill-in-the-middle.
/// </summary>
internal static class OllamaGenerateTranslator
{
    public static TranslatedRequest Translate(JsonObject request)
    {
        var model = OllamaFields.Model(request);
        var stream = OllamaFields.OptionalBool(request, "stream", fallback: true);
        var prompt = OllamaFields.OptionalString(request, "prompt") ?? "";
        var suffix = OllamaFields.OptionalString(request, "suffix");
        var system = OllamaFields.OptionalString(request, "system");
        var raw = OllamaFields.OptionalBool(request, "raw", fallback: false);
        var images = OllamaFields.Strings(request["images"], "images");
        JsonObject body;
        UpstreamKind kind;
        if (!string.IsNullOrEmpty(suffix))
        {
            kind = UpstreamKind.Infill;
            body = new JsonObject { ["model"] = model, ["input_prefix"] = prompt, ["input_suffix"] = suffix, ["prompt"] = "" };
        }
        else if (raw)
        {
            kind = UpstreamKind.Completion;
            body = new JsonObject { ["model"] = model, ["prompt"] = prompt };
        }
        else
        {
            kind = UpstreamKind.Chat;
            var messages = new JsonArray();
            if (!string.IsNullOrEmpty(system))
            {
                messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
            }
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = OllamaChatTranslator.Content(prompt, images) });
            body = new JsonObject { ["model"] = model, ["messages"] = messages };
            OllamaFormat.ApplyThink(request["think"], body);
        }
        body["stream"] = stream;
        if (stream && kind != UpstreamKind.Infill)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        if (kind != UpstreamKind.Infill)
        {
            OllamaFormat.Apply(request["format"], body);
        }
        OllamaOptions.Apply(request["options"], body);
        if (kind == UpstreamKind.Infill && body["max_tokens"] is { } limit)
        {
            body.Remove("max_tokens");
            body["n_predict"] = limit; // /infill is llama-server's native API
        }
        return new TranslatedRequest(model, kind, body, stream,
            OllamaDuration.Parse(request["keep_alive"], "keep_alive"), OllamaFormat.WantsThinking(request["think"]),
            Empty: prompt.Length == 0 && images.Count == 0 && string.IsNullOrEmpty(suffix));
    }
}
