using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans;

internal sealed partial class BackgroundTaskThreadGrain
{
    /// <summary>The longest single wait of <see cref="PollTerminalAsync"/>: well below Orleans' 30-second response timeout.</summary>
    internal static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(10);

    /// <summary>Cancelled when the hosting silo starts to stop, gracefully or not.</summary>
    private CancellationToken SiloStopping => ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;

    public Task<bool> CancelAsync(string taskId) => Manager.CancelAsync(taskId);

    public Task<int> CancelTreeAsync(string taskId) => Manager.CancelTreeAsync(taskId);

    public Task<int> CancelAllAsync() => Manager.CancelAllAsync(ThreadId);

    public Task<int> CancelDescendantsForRunAsync(string parentRunId) => Manager.CancelDescendantsForRunAsync(parentRunId);

    public async Task<IReadOnlyList<TaskSummary>> ListAsync() => [.. await Manager.ListAsync(ThreadId).ConfigureAwait(true)];

    public Task<TaskSummary?> GetAsync(string taskId) => Manager.GetAsync(taskId);

    public Task<bool> HasRunningAsync() => Manager.HasRunningAsync(ThreadId);

    public Task SendTaskInboxMessageAsync(string taskId, string senderAgentId, string content) =>
        Manager.SendTaskInboxMessageAsync(taskId, ThreadId, senderAgentId, content);

    public async IAsyncEnumerable<ThreadChangeBatch> ConnectAsync(ThreadCursor cursor,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var changes = _changes ?? throw new InvalidOperationException(OrleansMessages.NotActive);

        // A silo drains its requests before it deactivates grains, and this one would hold a long-poll open until
        // Orleans' own timeout: end it as soon as the silo starts stopping, and let the client resume elsewhere.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, SiloStopping);
        var reader = changes.Open(cursor, stopping.Token);
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(true))
            {
                while (reader.TryRead(out var batch))
                {
                    yield return batch;
                }
            }
        }
        finally
        {
            // Orleans disposes an enumeration the client abandoned without cancelling it: close the reader then too,
            // or the log would keep filling its channel.
            await stopping.CancelAsync().ConfigureAwait(true);
        }
    }

    public async Task<TaskSummary?> PollTerminalAsync(string taskId, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (Store.Lookup(taskId) is not { } current || current.OwnerThreadId != ThreadId)
        {
            throw new KeyNotFoundException(OrleansMessages.UnknownTask(taskId, ThreadId));
        }

        if (current.Status.IsTerminal())
        {
            return current;
        }

        var wait = maxWait < TimeSpan.Zero ? TimeSpan.Zero : maxWait > MaxPoll ? MaxPoll : maxWait;
        using var timeout = new CancellationTokenSource(wait, Clock);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, SiloStopping);
        try
        {
            return await Manager.WaitAsync(taskId, stopping.Token).ConfigureAwait(true);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Still live (or the silo is stopping): the caller polls again, wherever the thread is by then.
            return null;
        }
    }
}
