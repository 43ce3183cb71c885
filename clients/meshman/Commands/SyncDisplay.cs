using Mesh.Client.Sync;
using Spectre.Console;

namespace Meshman.Commands;

/// <summary>Runs a sync with a live progress bar per store and phase when meshman writes to a terminal.</summary>
internal static class SyncDisplay
{
    public static SyncResult Run(CliContext context, Func<Action<SyncProgress>?, Task<SyncResult>> sync)
    {
        if (!context.Interactive) return sync(null).GetAwaiter().GetResult();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output) });
        return console.Progress().AutoClear(true).HideCompleted(false).StartAsync(async progress =>
        {
            var bars = new Dictionary<(string, SyncPhase), ProgressTask>();
            return await sync(update =>
            {
                if (update.Phase is SyncPhase.Done) return;
                var phase = update.Phase == SyncPhase.Conflict ? SyncPhase.Uploading : update.Phase;
                if (!bars.TryGetValue((update.Store, phase), out var bar))
                {
                    bar = progress.AddTask(update.Store, maxValue: Math.Max(1, update.Total));
                    bars[(update.Store, phase)] = bar;
                }
                bar.MaxValue = Math.Max(1, update.Total);
                bar.Value = update.Entries;
                bar.Description = update.Phase switch
                {
                    SyncPhase.Downloading => $"{update.Store}: downloaded {update.Entries}/{update.Total} ({update.Bytes / 1024} KB)",
                    SyncPhase.Uploading => $"{update.Store}: uploaded {update.Entries}/{update.Total}",
                    _ => $"{update.Store}: another device wrote first, downloading again",
                };
            });
        }).GetAwaiter().GetResult();
    }
}
