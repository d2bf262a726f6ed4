using Microsoft.Extensions.Logging;

namespace ModelSwap.Gateway.Hosting;

/// <summary>Copies the gateway's own log records into <see cref="GatewayLogs.Proxy"/> for /logs.</summary>
internal sealed class RingLoggerProvider(GatewayLogs logs) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new RingLogger(logs, ShortName(categoryName));

    public void Dispose()
    {
    }

    private static string ShortName(string category) => category[(category.LastIndexOf('.') + 1)..];

    private sealed class RingLogger(GatewayLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Level(logLevel)} {category}: {formatter(state, exception)}";
            logs.AppendProxy(exception is null ? line : line + " " + exception.Message);
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "error",
            LogLevel.Critical => "crit",
            _ => "debug",
        };
    }
}
