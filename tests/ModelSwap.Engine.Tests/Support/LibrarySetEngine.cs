namespace ModelSwap.Engine.Tests.Support;

/// <summary>The running engines of one library set: <paramref name="NativeDir"/> is what they got as --native-dir.</summary>
internal sealed record LibrarySetEngine(string NativeDir, EngineProcess Chat, HttpClient ChatHttp, EngineProcess Embed, HttpClient EmbedHttp);
