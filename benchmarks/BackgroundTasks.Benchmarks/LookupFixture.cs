using System.Globalization;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// A manager whose store holds <c>total</c> records spread over 10k owner threads, plus one probe owner whose
/// tasks are the same in every fixture: 8 ended tasks, a live sub-agent that consumes its inbox, and a live
/// task that ignores cancellation (so it can be cancelled again and again). Every query asks about the probe,
/// so its answer is the same size whatever the total; only the size of the store changes.
/// </summary>
internal sealed class LookupFixture : IAsyncDisposable
{
    public const string ProbeOwner = "probe";
    private const int Owners = 10_000;
    private const int ProbeEndedTasks = 8;

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LookupFixture(BackgroundTaskManager manager) => Manager = manager;

    public BackgroundTaskManager Manager { get; }

    public string AgentId { get; private set; } = null!;

    public string StubbornId { get; private set; } = null!;

    public static async Task<LookupFixture> CreateAsync(int total)
    {
        var fixture = new LookupFixture(Workload.NewManager());
        await fixture.FillAsync(total);
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await Manager.DisposeAsync();
    }

    private async Task FillAsync(int total)
    {
        // Restored per owner, as a runtime that reloads each thread's tasks would do.
        var created = DateTimeOffset.UnixEpoch;
        var byOwner = new Dictionary<string, Dictionary<string, TaskSummary>>(StringComparer.Ordinal);
        for (var i = 0; i < total - ProbeEndedTasks; i++)
        {
            var owner = "thread_" + (i % Owners).ToString(CultureInfo.InvariantCulture);
            if (!byOwner.TryGetValue(owner, out var tasks))
            {
                byOwner[owner] = tasks = new Dictionary<string, TaskSummary>(StringComparer.Ordinal);
            }

            var id = "bg_" + i.ToString(CultureInfo.InvariantCulture);
            tasks[id] = Ended(id, owner, created);
        }

        var probe = new Dictionary<string, TaskSummary>(StringComparer.Ordinal);
        for (var i = total - ProbeEndedTasks; i < total; i++)
        {
            var id = "bg_" + i.ToString(CultureInfo.InvariantCulture);
            probe[id] = Ended(id, ProbeOwner, created);
        }

        byOwner[ProbeOwner] = probe;
        foreach (var (owner, tasks) in byOwner)
        {
            await Manager.RestoreForThreadAsync(owner, new BackgroundTaskStateSnapshot(tasks));
        }

        AgentId = await Manager.SpawnAgentWithContextAsync(ProbeOwner, "agent", "consumes its inbox", TaskParentContext.None,
            static async context =>
            {
                while (await context.Inbox.ReceiveAsync(context.CancellationToken) is not null)
                {
                }

                return TaskResult.Cancelled;
            });
        StubbornId = await Manager.SpawnAsync(ProbeOwner, Workload.TaskType, "stubborn", "ignores cancellation", TaskParentContext.None,
            async _ =>
            {
                await _release.Task.ConfigureAwait(false);
                return TaskResult.Success(Workload.Value);
            });
    }

    private static TaskSummary Ended(string id, string owner, DateTimeOffset created) => new()
    {
        TaskId = id,
        OwnerThreadId = owner,
        TaskType = Workload.TaskType,
        Description = Workload.Description,
        Status = BackgroundTaskStatus.Completed,
        Result = Workload.Value,
        CreatedAt = created,
        CompletedAt = created,
    };
}
