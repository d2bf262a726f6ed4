using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>A model server's own API key: the value of <c>--api-key</c> (or <c>--api-key=…</c>) in its command, if any.</summary>
internal sealed class UpstreamKeys
{
    public string? KeyFor(ModelConfig model)
    {
        var command = model.Command;
        for (var i = 0; i < command.Length; i++)
        {
            if (command[i] == "--api-key" && i + 1 < command.Length)
            {
                return command[i + 1];
            }
            if (command[i].StartsWith("--api-key=", StringComparison.Ordinal))
            {
                return command[i]["--api-key=".Length..];
            }
        }
        return null;
    }
}
