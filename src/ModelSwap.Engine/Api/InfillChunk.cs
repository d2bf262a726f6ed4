namespace ModelSwap.Engine.Api;

/// <summary>One entry of /infill's <c>input_extra</c>: another file's text for context.</summary>
internal sealed record InfillChunk(string FileName, string Text);
