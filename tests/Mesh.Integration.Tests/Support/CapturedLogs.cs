using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mesh.Integration.Tests.Support;

/// <summary>One log entry as a host wrote it, with the values of every scope it was written in.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, string?> Scope);

/// <summary>A logger provider that keeps what a host logs, scopes included, for tests to assert on.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var scope = new Dictionary<string, string?>();
            owner._scopes.ForEachScope((value, into) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, item) in pairs)
                        into[key] = item?.ToString();
            }, scope);
            owner._entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), scope));
        }
    }
}
