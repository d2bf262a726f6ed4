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
    private static readonly Lock Gate = new();
    private static bool _installed;
    private static ILogger? _target;
    private static string? _lastError;

    /// <summary>The last error llama.cpp reported: a load failure's real reason (a missing key, a bad tensor).</summary>
    public static string? LastError => Volatile.Read(ref _lastError);

    public static void Install(ILogger target)
    {
        lock (Gate)
        {
            _target = target;
            if (_installed)
                return;
            _installed = true;
            try
            {
                NativeLibraryConfig.All.WithLogCallback(OnNativeLog);
            }
            catch (InvalidOperationException)
            {
                // The library was loaded by someone else first; the callback can still be set directly.
                NativeLogConfig.llama_log_set(OnNativeLog);
            }
        }
    }

    public static void ClearLastError() => Volatile.Write(ref _lastError, null);

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        var text = message.TrimEnd();
        if (text.Length == 0)
            return;
        if (level == LLamaLogLevel.Error)
            Volatile.Write(ref _lastError, text);
        var target = _target;
        if (target is null)
            return;
        // Errors stay visible (they explain a failed load); the rest is chatter for debugging.
        if (level == LLamaLogLevel.Error)
            EngineLog.NativeError(target, text);
        else
            EngineLog.NativeMessage(target, text);
    }
}
