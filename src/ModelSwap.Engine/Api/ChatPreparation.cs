using LLama.Native;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Templates;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// From a conversation (template values) and the offered tools to prompt tokens, shared by chat
/// completions, the Responses API and Anthropic's Messages API. Images in the conversation go
/// through the model's projector; a model without one refuses them before any URL is fetched.
/// </summary>
internal static class ChatPreparation
{
    /// <param name="param">The request field an image error names (`messages` or `input`).</param>
    public static async Task<ChatPrompt> PrepareAsync(HttpContext context, ReadyModel ready, List<object?> messages, ToolSession? tools, IReadOnlyDictionary<string, object?> kwargs, string param = "messages")
    {
        var withImages = messages.OfType<TemplateMessage>().Where(m => m.Images.Count > 0).ToList();
        if (withImages.Count > 0 && ready.Model.Projector is null)
        {
            throw ApiException.BadRequest(
                $"model {ready.Model.ModelId} has no projector (mmproj); images need one ('{withImages[0].Images[0].Where}' is an image).", param, "model_not_multimodal");
        }
        if (withImages.Count > 0)
        {
            // In place: a stored Responses conversation then keeps the bytes and a follow-up fetches nothing again.
            var fetcher = context.RequestServices.GetRequiredService<ImageFetcher>();
            foreach (var message in withImages)
                await fetcher.FetchAllAsync(message.Images, context.RequestAborted).ConfigureAwait(false);
        }
        var images = withImages.SelectMany(m => m.Images).ToList();

        var formatter = ready.Model.ChatFormatter;
        List<object?>? templateTools = null;
        if (tools is { Active: true })
        {
            if (formatter.UsesModelTemplate && ToolCallFormats.TemplateRendersTools(formatter.TemplateSource))
            {
                templateTools = tools.TemplateTools;
            }
            else
            {
                // The template cannot show tools: describe them in the system message and use the Hermes syntax.
                tools = tools with { Format = ToolCallFormat.Hermes };
                messages = ToolRequestParser.WithToolsInSystemMessage(messages, tools);
            }
        }
        var input = new ChatTemplateInput(messages, templateTools, AddGenerationPrompt: true, kwargs);
        var text = GenerationEndpoints.FormatPrompt(ready, input);
        if (images.Count == 0)
            return new ChatPrompt(ready.Model.TokenizePrompt(text), null, tools);
        var media = Tokenize(ready, text, images, param);
        return new ChatPrompt(media.Tail, media, tools);
    }

    /// <summary>The rendered text and its images through the projector: each media marker becomes that image's tokens.</summary>
    private static PromptMedia Tokenize(ReadyModel ready, string text, List<PromptImage> images, string param)
    {
        var model = ready.Model;
        var projector = model.Projector!;
        var bitmaps = new List<SafeMtmdEmbed>();
        try
        {
            foreach (var image in images)
            {
                bitmaps.Add(SafeMtmdEmbed.FromMediaBuffer(projector.NativeHandle, image.Data)
                    ?? throw ApiException.BadRequest($"'{image.Where}' could not be decoded as {image.MediaType}.", image.Param, "invalid_image"));
            }
            // Templates that spell out the BOS text would otherwise get a second BOS (see LoadedModel.TokenizePrompt).
            var addBos = !(model.Vocab.BOS is { } bos && text.StartsWith(model.Detokenize([(int)bos]), StringComparison.Ordinal));
            int status;
            SafeMtmdInputChunks? chunks;
            lock (model.ProjectorLock)
                status = projector.Tokenize(text, addBos, parseSpecial: true, bitmaps.ToArray(), out chunks);
            if (status != 0 || chunks is null)
            {
                throw ApiException.BadRequest(status == 1
                    ? $"The prompt holds {TemplateMessage.MediaMarker} other than where images were sent; that text is reserved for images."
                    : $"The projector could not prepare the images (mtmd error {status}).", param, "invalid_image");
            }
            var last = chunks.Enumerate().Last();
            if (last.Type != SafeMtmdInputChunk.SafeMtmdInputChunkType.Text)
                throw ApiException.BadRequest("The prompt ends with an image; the chat template must put text after it.", param);
            return new PromptMedia(projector, chunks, model.ProjectorLock, [.. last.GetTextTokensSpan().ToArray().Select(t => (LLamaToken)t)]);
        }
        finally
        {
            foreach (var bitmap in bitmaps)
                bitmap.Dispose();
        }
    }
}
