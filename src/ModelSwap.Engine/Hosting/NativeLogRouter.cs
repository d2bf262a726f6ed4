using LLama.Native;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Engine.Hosting;

/// <summary>
/// Sends llama.cpp's own log lines into ILogger. Without it llama.cpp prints ~800 lines to stderr per
/// model load; the callback can only be installed before the native library loads, so it is installed
/// once per process and forwards to whichever engine registered last.
/// </summary>
internal static class NativeLogRouter
{
    private const int MaxErrors = 3;
    private static readonly Lock Gate = new();
    private static readonly List<string> RecentErrors = [];
    private static bool _installed;
    private static ILogger? _target;

    /// <summary>
    /// What llama.cpp said went wrong since <see cref="ClearErrors"/>: a load failure's real reason
    /// (a missing key, a bad tensor) comes first, the generic "failed to load" lines after it.
    /// </summary>
    public static string? Errors
    {
        get
        {
            lock (Gate)
                return RecentErrors.Count == 0 ? null : string.Join("; ", RecentErrors);
        }
    }

    public static void Install(ILogger target)
    {
        lock (Gate)
        {
            _target = target;
            if (_installed)
                return;
            _installed = true;
            if (NativeLibraryConfig.LLama.LibraryHasLoaded)
                NativeLogConfig.llama_log_set(OnNativeLog);
            else
                NativeLibraryConfig.All.WithLogCallback(OnNativeLog);
        }
    }

    public static void ClearErrors()
    {
        lock (Gate)
            RecentErrors.Clear();
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        var text = message.TrimEnd();
        if (text.Length == 0)
            return;
        ILogger? target;
        lock (Gate)
        {
            if (level == LLamaLogLevel.Error && RecentErrors.Count < MaxErrors)
                RecentErrors.Add(text);
            target = _target;
        }
        if (target is null)
            return;
        // Errors stay visible (they explain a failed load); the rest is chatter for debugging.
        if (level == LLamaLogLevel.Error)
            EngineLog.NativeError(target, text);
        else
            EngineLog.NativeMessage(target, text);
    }
}
