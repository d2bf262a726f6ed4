namespace ModelSwap.Gateway.Tests.Management;

/// <summary>Reads server-sent events (id, event, data) off a response stream, one event at a time.</summary>
internal sealed class SseReader(StreamReader reader)
{
    public async Task<(string? Id, string? Name, string Data)?> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null;
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return (id, name, string.Join('\n', data));
                }
                continue;
            }
            if (line.StartsWith(':'))
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data.Add(value); break;
            }
        }
        return null;
    }
}
