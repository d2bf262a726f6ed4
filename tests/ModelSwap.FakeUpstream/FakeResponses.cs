using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.FakeUpstream;

/// <summary>OpenAI-shaped answers that echo what the fake upstream received.</summary>
internal static class FakeResponses
{
    public static async Task ChatAsync(HttpContext context, FakeOptions options)
    {
        if (options.CountBody)
        {
            await CountBodyAsync(context);
            return;
        }
        var body = await ReadJsonAsync(context);
        var model = body?["model"]?.GetValue<string>() ?? "";
        var chunks = body?["fake_chunks"]?.GetValue<int>() ?? 3;
        var delay = TimeSpan.FromMilliseconds(body?["fake_chunk_delay_ms"]?.GetValue<int>() ?? 0);
        var isChat = context.Request.Path.StartsWithSegments("/v1/chat");
        var stream = body?["stream"]?.GetValue<bool>() ?? false;
        if (isChat && body?["tools"] is JsonArray { Count: > 0 } tools)
        {
            await ToolCallAsync(context, model, tools, stream);
            return;
        }
        // "fake_hang": accept the request and never answer (a wedged server); with a stream, after
        // "fake_hang_after_chunks" chunks (default 0) it falls silent mid-stream.
        var hang = body?["fake_hang"]?.GetValue<bool>() ?? false;
        var hangAfter = body?["fake_hang_after_chunks"]?.GetValue<int>() ?? 0;
        if (hang && (!stream || hangAfter == 0))
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        if (!stream)
        {
            // A non-streaming answer takes as long as the stream would have, so tests can hold a request in flight.
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay * chunks, context.RequestAborted);
            }
            var text = string.Concat(Enumerable.Range(0, chunks).Select(i => $"chunk{i} "));
            var echo = Echo(context, options, body);
            object response = isChat
                ? new { id = "chatcmpl-fake", @object = "chat.completion", created = 0, model,
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 1, completion_tokens = chunks, total_tokens = chunks + 1 }, fake = echo }
                : new { id = "cmpl-fake", @object = "text_completion", created = 0, model,
                    choices = new[] { new { index = 0, text, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 1, completion_tokens = chunks, total_tokens = chunks + 1 }, fake = echo };
            await context.Response.WriteAsJsonAsync(response);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        for (var i = 0; i < chunks; i++)
        {
            if (hang && i == hangAfter)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            var chunk = isChat
                ? JsonSerializer.Serialize(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 0, model,
                    choices = new[] { new { index = 0, delta = new { content = ChunkText(body, i) }, finish_reason = (string?)null } } })
                : JsonSerializer.Serialize(new { id = "cmpl-fake", @object = "text_completion", created = 0, model,
                    choices = new[] { new { index = 0, text = $"chunk{i} ", finish_reason = (string?)null } } });
            await context.Response.WriteAsync($"data: {chunk}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        var final = isChat
            ? JsonSerializer.Serialize(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 0, model,
                choices = new[] { new { index = 0, delta = new { content = "" }, finish_reason = "stop" } } })
            : JsonSerializer.Serialize(new { id = "cmpl-fake", @object = "text_completion", created = 0, model,
                choices = new[] { new { index = 0, text = "", finish_reason = "stop" } } });
        await context.Response.WriteAsync($"data: {final}\n\n", context.RequestAborted);
        if (body?["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            // As llama-server does: usage in a last chunk with no choices, and its timings.
            var usage = JsonSerializer.Serialize(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 0, model,
                choices = Array.Empty<object>(), usage = new { prompt_tokens = 1, completion_tokens = chunks, total_tokens = chunks + 1 },
                timings = new { prompt_n = 1, prompt_ms = 2.5, predicted_n = chunks, predicted_ms = 7.5 } });
            await context.Response.WriteAsync($"data: {usage}\n\n", context.RequestAborted);
        }
        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    /// <summary>
    /// With tools, the fake calls the first one with arguments {"city":"Paris"}; a stream sends them in
    /// two fragments, as real servers do.
    /// </summary>
    private static async Task ToolCallAsync(HttpContext context, string model, JsonArray tools, bool stream)
    {
        var name = tools[0]?["function"]?["name"]?.GetValue<string>() ?? "tool";
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-fake", @object = "chat.completion", created = 0, model,
                choices = new[] { new { index = 0, finish_reason = "tool_calls", message = new { role = "assistant", content = (string?)null,
                    tool_calls = new[] { new { id = "call_1", type = "function", function = new { name, arguments = "{\"city\":\"Paris\"}" } } } } } },
                usage = new { prompt_tokens = 1, completion_tokens = 2, total_tokens = 3 },
            });
            return;
        }
        context.Response.ContentType = "text/event-stream";
        string[] fragments = ["{\"city\":", "\"Paris\"}"];
        for (var i = 0; i < fragments.Length; i++)
        {
            var call = i == 0
                ? (object)new { index = 0, id = "call_1", type = "function", function = new { name, arguments = fragments[i] } }
                : new { index = 0, function = new { arguments = fragments[i] } };
            var chunk = JsonSerializer.Serialize(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 0, model,
                choices = new[] { new { index = 0, delta = new { tool_calls = new[] { call } }, finish_reason = (string?)null } } });
            await context.Response.WriteAsync($"data: {chunk}\n\n", context.RequestAborted);
        }
        var final = JsonSerializer.Serialize(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 0, model,
            choices = new[] { new { index = 0, delta = new { }, finish_reason = "tool_calls" } } });
        await context.Response.WriteAsync($"data: {final}\n\ndata: [DONE]\n\n", context.RequestAborted);
    }

    /// <summary>"chunkN "; with fake_count_messages the first chunk says how many messages came (chat history tests).</summary>
    /// <summary>
    /// --count-body: reads the body without parsing it and answers its size and first 200 bytes — as
    /// one server-sent chunk when the head asks for a stream, else as JSON.
    /// </summary>
    private static async Task CountBodyAsync(HttpContext context)
    {
        var buffer = new byte[64 * 1024];
        var head = new MemoryStream();
        long bytes = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            head.Write(buffer, 0, (int)Math.Min(read, Math.Max(0, 200 - head.Length)));
            bytes += read;
        }
        var text = Encoding.UTF8.GetString(head.ToArray());
        var summary = new { bytes, head = text };
        if (!text.Contains("\"stream\":true", StringComparison.Ordinal))
        {
            await context.Response.WriteAsJsonAsync(new { fake = summary });
            return;
        }
        context.Response.ContentType = "text/event-stream";
        var chunk = JsonSerializer.Serialize(new { @object = "chat.completion.chunk", choices = new[] { new { index = 0, delta = new { content = "" } } }, fake = summary });
        await context.Response.WriteAsync($"data: {chunk}\n\ndata: [DONE]\n\n", context.RequestAborted);
    }

    private static string ChunkText(JsonNode? body, int i) =>
        i == 0 && body?["fake_count_messages"]?.GetValue<bool>() == true && body["messages"] is JsonArray messages
            ? $"messages={messages.Count} "
            : $"chunk{i} ";

    public static async Task EmbeddingsAsync(HttpContext context, FakeOptions options)
    {
        var body = await ReadJsonAsync(context);
        var model = body?["model"]?.GetValue<string>() ?? "";
        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            model,
            data = new[] { new { @object = "embedding", index = 0, embedding = new[] { 0.6f, 0.8f, 0f } } },
            usage = new { prompt_tokens = 1, total_tokens = 1 },
            fake = Echo(context, options, body),
        });
    }

    public static async Task EchoAsync(HttpContext context, FakeOptions options)
    {
        JsonNode? body = null;
        var length = 0L;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            length = buffer.Length;
            if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                try { body = JsonNode.Parse(buffer.ToArray()); } catch (JsonException) { }
            }
        }
        var echo = Echo(context, options, body);
        echo["method"] = context.Request.Method;
        echo["body_length"] = length;
        echo["content_type"] = context.Request.ContentType;
        await context.Response.WriteAsJsonAsync(new { fake = echo });
    }

    private static JsonObject Echo(HttpContext context, FakeOptions options, JsonNode? body)
    {
        var env = new JsonObject();
        if (body?["echo_env"] is JsonArray names)
        {
            foreach (var name in names)
            {
                var key = name!.GetValue<string>();
                env[key] = Environment.GetEnvironmentVariable(key);
            }
        }
        return new JsonObject
        {
            ["upstream"] = options.Name,
            ["pid"] = Environment.ProcessId,
            ["path"] = context.Request.Path.Value,
            ["query"] = context.Request.QueryString.Value,
            ["model"] = body?["model"]?.DeepClone(),
            ["body"] = body?["fake_summary"]?.GetValue<bool>() == true ? Summary(body.AsObject()) : body?.DeepClone(),
            ["env"] = env,
            // What reached the server, so tests can check what the gateway forwards (credentials, encoding).
            ["authorization"] = context.Request.Headers.Authorization.ToString(),
            ["x_api_key"] = context.Request.Headers["x-api-key"].ToString(),
            ["cookie"] = context.Request.Headers.Cookie.ToString(),
            ["raw_target"] = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget,
        };
    }

    /// <summary>
    /// "fake_summary": true echoes the body's top-level members with each string over 100 characters
    /// replaced by its length ("&lt;N chars&gt;"), so a test can send a huge body and still read a small answer.
    /// </summary>
    private static JsonObject Summary(JsonObject body)
    {
        var summary = new JsonObject();
        foreach (var (name, value) in body)
        {
            summary[name] = value?.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 100 } text
                ? $"<{text.Length} chars>"
                : value?.DeepClone();
        }
        return summary;
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
