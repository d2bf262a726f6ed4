namespace ModelSwap.FakeUpstream;

internal sealed record FakeOptions(int Port, string Name, TimeSpan ReadyDelay, bool IgnoreSigterm, TimeSpan? CrashAfter, bool SpawnChild, bool SpawnDetachedChild = false, int AllocMb = 0)
{
    /// <summary>--api-key KEY: like llama-server's, every route but /health then wants `Authorization: Bearer KEY`.</summary>
    public string? ApiKey { get; init; }

    /// <summary>--chatty N: prints N lines of 16 KB once listening (a model that floods its log).</summary>
    public int ChattyLines { get; init; }

    /// <summary>
    /// --fail-bind-once FILE: the first start (while FILE does not exist) creates FILE and dies with
    /// llama-server's "couldn't bind … address already in use", as a server whose port was taken does.
    /// </summary>
    public string? FailBindOnce { get; init; }

    /// <summary>
    /// --count-body: chats are answered with the body's size and head, read without parsing it (so a
    /// test can send many 100 MB bodies without the fake holding them).
    /// </summary>
    public bool CountBody { get; init; }

    public static FakeOptions Parse(string[] args)
    {
        int port = 0;
        string name = "fake";
        TimeSpan readyDelay = TimeSpan.Zero;
        bool ignoreSigterm = false, spawnChild = false, spawnDetachedChild = false;
        int allocMb = 0;
        TimeSpan? crashAfter = null;
        string? apiKey = null;
        var chatty = 0;
        string? failBindOnce = null;
        var countBody = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--port": port = int.Parse(Next()); break;
                case "--name": name = Next(); break;
                case "--ready-delay": readyDelay = TimeSpan.FromMilliseconds(double.Parse(Next())); break;
                case "--ignore-sigterm": ignoreSigterm = true; break;
                case "--crash-after": crashAfter = TimeSpan.FromMilliseconds(double.Parse(Next())); break;
                case "--spawn-child": spawnChild = true; break;
                case "--spawn-detached-child": spawnDetachedChild = true; break;
                case "--alloc-mb": allocMb = int.Parse(Next()); break;
                case "--api-key": apiKey = Next(); break;
                case "--chatty": chatty = int.Parse(Next()); break;
                case "--fail-bind-once": failBindOnce = Next(); break;
                case "--count-body": countBody = true; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (port <= 0)
        {
            throw new ArgumentException("--port is required");
        }
        return new FakeOptions(port, name, readyDelay, ignoreSigterm, crashAfter, spawnChild, spawnDetachedChild, allocMb)
        {
            ApiKey = apiKey,
            ChattyLines = chatty,
            FailBindOnce = failBindOnce,
            CountBody = countBody,
        };
    }
}
