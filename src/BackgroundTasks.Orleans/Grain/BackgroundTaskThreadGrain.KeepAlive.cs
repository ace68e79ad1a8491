namespace BackgroundTasks.Orleans;

/// <content>
/// Keeping the activation alive while the thread has live tasks, and letting it go as soon as it has none.
/// </content>
/// <remarks>
/// Spawns and the idle watch both run on this activation's scheduler, one turn at a time, so they need no lock. A
/// spawn is "in flight" from its start to its return; its task registers with the manager during that time, so a
/// watch that finds the manager idle while a spawn is in flight leaves the keep-alive alone, and the spawn watches
/// again when it returns.
/// </remarks>
internal sealed partial class BackgroundTaskThreadGrain
{
    private int _spawnsInFlight;
    private bool _deactivating;
    private Task _idleWatch = Task.CompletedTask;

    /// <summary>The current watch for the thread's idleness: completes once it released the keep-alive or left that to a spawn in flight.</summary>
    internal Task IdleWatch => _idleWatch;

    /// <summary>Runs a spawn with the activation kept alive, and watches for idleness after it, whether it succeeded or not.</summary>
    private async Task<string> SpawnKeptAliveAsync(Func<Task<string>> spawn)
    {
        _spawnsInFlight++;
        try
        {
            await StartSweepAsync().ConfigureAwait(true);
            return await spawn().ConfigureAwait(true);
        }
        finally
        {
            _spawnsInFlight--;
            WatchForIdle();
        }
    }

    /// <summary>Starts a watch unless one is running: a running watch sees the new task when it checks again.</summary>
    private void WatchForIdle()
    {
        if (_idleWatch.IsCompleted && !_deactivating)
        {
            _idleWatch = ReleaseWhenIdleAsync();
        }
    }

    private async Task ReleaseWhenIdleAsync()
    {
        // Each wait resumes on this scheduler, where spawns register their tasks, so a wait that completes at once here
        // means nothing is live now and nothing can register before the release below. A wait that completed earlier
        // may have been overtaken by a spawn: ask again.
        Task idle;
        while (!(idle = Manager.WhenIdleAsync()).IsCompleted)
        {
            await idle.ConfigureAwait(true);
        }

        if (_spawnsInFlight == 0 && !_deactivating)
        {
            // Back to Orleans' idle collection; the reminder stays until a tick finds nothing live or this activation ends.
            DelayDeactivation(TimeSpan.Zero);
        }
    }
}
