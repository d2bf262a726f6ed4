using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>
/// A real `dotnet modelswap.dll …` child with its stderr collected: the engine as the gateway starts it.
/// A process of its own is the only way to choose the llama.cpp libraries per engine: LLamaSharp loads
/// them once per process, so the in-process engines of this assembly all share one set.
/// </summary>
internal sealed partial class EngineProcess : IDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EngineProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Everything written to stderr, after waiting (at most 5 s) for the process to end and its readers to flush.</summary>
    public string Stderr
    {
        get
        {
            Process.WaitForExit(TimeSpan.FromSeconds(5)); // flush the asynchronous readers
            return StderrSoFar;
        }
    }

    /// <summary>What stderr has delivered so far, without waiting: for a process that keeps running.</summary>
    public string StderrSoFar
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public static EngineProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(RepositoryPaths.ModelSwapDll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        var engine = new EngineProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (engine._stderr)
                engine._stderr.AppendLine(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
                engine._address.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return engine;
    }

    public async Task<Uri> WaitForAddressAsync()
    {
        var exited = Process.WaitForExitAsync();
        var first = await Task.WhenAny(_address.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(first == _address.Task, $"the engine exited before listening: {Stderr}");
        return await _address.Task;
    }

    /// <summary>Waits until /health answers 200 (the model is loaded), failing with the engine's stderr after a generous deadline.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient http)
    {
        try
        {
            await TestEngine.WaitUntilAsync(() => Process.HasExited || IsHealthy(http), "the engine process reports healthy");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the engine never became healthy: {StderrSoFar}");
        }
        Assert.False(Process.HasExited, $"the engine exited before it became healthy: {Stderr}");
    }

    public void KillIfRunning()
    {
        if (!Process.HasExited)
            Process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        KillIfRunning();
        Process.Dispose();
    }

    private static bool IsHealthy(HttpClient http)
    {
        try
        {
            using var response = http.GetAsync("/health").GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Listening on (http://\S+?);")]
    private static partial Regex ListeningLine();
}
