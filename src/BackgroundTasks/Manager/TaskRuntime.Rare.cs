namespace BackgroundTasks;

/// <content>
/// The state most tasks never use, kept in one object made by the first that needs it: a plain task (no waiter while
/// live, no limits, no timeout, not a sub-agent) carries one null reference instead of six, which is ~40 bytes less per
/// live task for the garbage collector to allocate and copy. The live tree's links stay on the runtime: every child
/// task sets one, and a tree cancellation walks them.
/// </content>
internal sealed partial class TaskRuntime
{
    private RareState? _rare;

    /// <summary>The rare state, made on first use (racing makers agree on one, the full fence of the exchange publishing it).</summary>
    private RareState Rare => LazyInitializer.EnsureInitialized(ref _rare, static () => new RareState());

    /// <summary>The task's place in its owner's queue while it waits; read and written only under the gate's lock.</summary>
    internal LinkedListNode<TaskRuntime>? QueueNode
    {
        get => _rare?.QueueNode;
        set => SetRare(value, static (rare, value) => rare.QueueNode = value);
    }

    /// <summary>How a task that was queued at spawn gets started or dropped; null for a task that started at spawn.</summary>
    internal QueuedStart? Queued
    {
        get => _rare?.Queued;
        set => SetRare(value, static (rare, value) => rare.Queued = value);
    }

    private void SetRare<T>(T? value, Action<RareState, T?> set)
        where T : class
    {
        if (value is null && Volatile.Read(ref _rare) is null)
        {
            return;
        }

        set(Rare, value);
    }

    private sealed class RareState
    {
        // Created only when someone waits while the task is live (WaitAsync, DisposeAsync, Completion): most
        // tasks end with nobody waiting on their runtime, and a completion source per task is ~100 bytes.
        public TaskCompletionSource<TaskSummary?>? Completion;

        public Task? WhenCancelled;

        // The attempt with a token of its own (timeouts and a retry policy) now running, or the last one; a cancellation
        // of the task reaches its token through here.
        public TaskAttempt? CurrentAttempt;

        public AgentInbox? AgentInbox;

        public LinkedListNode<TaskRuntime>? QueueNode;

        public QueuedStart? Queued;
    }
}
