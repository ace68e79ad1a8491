using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks.Dataflow;

namespace BackgroundTasks;

/// <summary>
/// The runtime handles of one live task: its cancellation, its body, its event channel and, for a
/// sub-agent, its inbox. The metadata lives in the store; this object is dropped when the task ends.
/// </summary>
/// <remarks>
/// A task is a dataflow block with no input: <see cref="Completion"/> completes once the terminal record
/// is in the store and the terminal event has been sent, <see cref="Fault"/> requests cancellation.
/// This is the cheapest block that keeps those semantics (an <c>ActionBlock</c> per task costs a
/// queue, a lock and two extra tasks for the single item it would ever process).
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification =
    "The token source has no timer and no linked parents, so the GC reclaims it; disposing it at the end "
    + "of the task would race with a concurrent CancelAsync and turn a harmless late cancel into an exception.")]
internal sealed class TaskRuntime : IDataflowBlock, IThreadPoolWorkItem
{
    private readonly BackgroundTaskManager _manager;
    private readonly Delegate _body;
    private readonly CancellationTokenSource _cancellation = new();

    // Created only when someone waits while the task is live (WaitAsync, DisposeAsync, Completion): most
    // tasks end with nobody waiting on their runtime, and a completion source per task is ~100 bytes.
    private TaskCompletionSource<TaskSummary?>? _completion;
    private TaskSummary? _terminal;
    private int _terminalSet;
    private ExecutionContext? _executionContext;
    private Task? _whenCancelled;
    private int _ended;

    // Made by the first progress report: most bodies never report, and the reporter costs two objects. Replaced by
    // s_progressClosed when the task ends with none, so a late report finds it closed.
    private ProgressReporter? _progress;

    public TaskRuntime(BackgroundTaskManager manager, string? name, Delegate body, TaskEventChannel events, bool isAgent)
    {
        _manager = manager;
        _body = body;
        Name = name;
        Events = events;
        AgentInbox = isAgent ? Inbox.Create() : null;
    }

    public string TaskId { get; private set; } = string.Empty;

    public string? Name { get; }

    /// <summary>The task's runtime controls, as given at spawn.</summary>
    public SpawnOptions Options { get; init; } = SpawnOptions.Default;

    /// <summary>The Running record written at spawn; the terminal record is derived from it.</summary>
    public TaskSummary Running { get; private set; } = null!;

    public TaskEventChannel Events { get; }


    public (InboxSender Sender, InboxReceiver Receiver)? AgentInbox { get; }

    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>The task's activity, from spawn to end; null while nobody listens to the activity source.</summary>
    public Activity? Activity { get; set; }

    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    // The live tree (LiveTaskTable.Tree.cs); read and written only under the live table's lock.
    internal TaskRuntime? LinkParent { get; set; }

    internal TaskRuntime? FirstChild { get; set; }

    internal TaskRuntime? PreviousSibling { get; set; }

    internal TaskRuntime? NextSibling { get; set; }

    internal bool IsRemoved { get; set; }

    internal bool IsUnlinked { get; set; }

    /// <summary>The terminal record once the task has fully ended; null if the spawn was abandoned.</summary>
    public Task<TaskSummary?> Terminal
    {
        get
        {
            if (Volatile.Read(ref _terminalSet) != 0)
            {
                return Task.FromResult(_terminal);
            }

            var source = new TaskCompletionSource<TaskSummary?>(TaskCreationOptions.RunContinuationsAsynchronously);
            source = Interlocked.CompareExchange(ref _completion, source, null) ?? source;

            // SetTerminal publishes the record before it reads _completion, and this reads the flag after
            // publishing _completion (both with full fences), so at least one side completes the source.
            if (Volatile.Read(ref _terminalSet) != 0)
            {
                source.TrySetResult(_terminal);
            }

            return source.Task;
        }
    }

    public Task Completion => Terminal;

    /// <summary>Gives the runtime its id and record once its name has been claimed.</summary>
    public void Activate(string taskId, TaskSummary running)
    {
        Debug.Assert(TaskId.Length == 0, "A runtime is activated once.");
        TaskId = taskId;
        Running = running;
    }

    /// <summary>Starts the body on <paramref name="scheduler"/>; never inline on the caller's thread.</summary>
    /// <remarks>
    /// The body's task is not kept: <see cref="BackgroundTaskManager.RunTaskAsync"/> never throws and reports
    /// the end through <see cref="Terminal"/>. On the default scheduler the runtime queues itself as a
    /// thread-pool work item, flowing the spawner's execution context as <c>Task.Run</c> would, which saves
    /// the Task that StartNew allocates per spawn.
    /// </remarks>
    public void Start(TaskScheduler scheduler)
    {
        if (scheduler == TaskScheduler.Default)
        {
            _executionContext = ExecutionContext.Capture();
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            return;
        }

        _ = Task.Factory.StartNew(
            static state => ((TaskRuntime)state!).RunAsync(),
            this,
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            scheduler);
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_executionContext is { } context)
        {
            _executionContext = null;
            ExecutionContext.Run(context, static state => ((TaskRuntime)state!).RunAsync(), this);
        }
        else
        {
            // Flow was suppressed by the spawner: run on the pool's default context, as Task.Run would.
            RunAsync();
        }
    }

    /// <summary>Signals cancellation; false when the body has already ended.</summary>
    public bool RequestCancellation()
    {
        if (IsEnded)
        {
            return false;
        }

        try
        {
            // Token callbacks run here, synchronously; the caller holds no lock.
            _cancellation.Cancel();
        }
        catch (AggregateException exception)
        {
            // A user's token registration threw; cancellation has still been signalled.
            _manager.Diagnostics.DeliveryFault(exception, TaskId);
        }

        return true;
    }

    /// <summary>Marks the body as ended; true for the one caller that ended it.</summary>
    public bool MarkEnded() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>Records the end and wakes waiters. Called once: by the end of the body, or by an abandoned spawn.</summary>
    public void SetTerminal(TaskSummary? terminal)
    {
        Debug.Assert(Volatile.Read(ref _terminalSet) == 0, "A runtime ends once.");
        _terminal = terminal;
        if (Interlocked.Exchange(ref _terminalSet, 1) == 0)
        {
            Volatile.Read(ref _completion)?.TrySetResult(terminal);
        }
    }

    public Task WhenCancelled()
    {
        if (Volatile.Read(ref _whenCancelled) is { } existing)
        {
            return existing;
        }

        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _whenCancelled, source.Task, null) is { } raced)
        {
            return raced;
        }

        _cancellation.Token.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), source);
        return source.Task;
    }

    /// <summary>Calls the body with the context its delegate shape asks for.</summary>
    public Task<TaskResult>? InvokeBody() => _body switch
    {
        Func<TaskContext, Task<TaskResult>> plain => plain(new TaskContext(this)),
        Func<AgentTaskContext, Task<TaskResult>> agent => agent(new AgentTaskContext(this)),
        Func<CancellationToken, InboxSender, InboxReceiver, Task<TaskResult>> raw =>
            raw(CancellationToken, AgentInbox!.Value.Sender, AgentInbox.Value.Receiver),
        _ => throw new UnreachableException("Unknown task body shape."),
    };

    void IDataflowBlock.Complete()
    {
        // A task block takes no input, so there is nothing to stop accepting; the body runs to its end.
    }

    public void Fault(Exception exception) => RequestCancellation();

    /// <summary>A progress report from the body: validated by the context, a sign of life, then written to the record.</summary>
    public void ReportProgress(TaskProgress progress)
    {
        OnSignOfLife();
        var reporter = Volatile.Read(ref _progress);
        if (reporter is null)
        {
            var made = new ProgressReporter(this);
            reporter = Interlocked.CompareExchange(ref _progress, made, null) ?? made;
        }

        reporter.Report(progress);
    }

    /// <summary>Refuses later reports and waits for a progress write in flight; returns the last progress reported.</summary>
    /// <remarks>A task that never reported (most) only marks itself closed: the shared closed reporter's lock is never taken.</remarks>
    public ValueTask<TaskProgress?> CloseProgressAsync() =>
        Interlocked.CompareExchange(ref _progress, ProgressReporter.Closed, null) is { } reporter
            ? reporter.CloseAsync()
            : new ValueTask<TaskProgress?>((TaskProgress?)null);

    /// <summary>The body showed it is alive (a progress report, a heartbeat).</summary>
    /// <remarks>Heartbeat timeouts (the runtime-controls work) watch this; nothing else does yet.</remarks>
    [SuppressMessage("Performance", "CA1822", Justification = "The heartbeat watchdog of the runtime controls wires its per-task state in here.")]
    internal void OnSignOfLife()
    {
    }

    /// <summary>Writes the task's record with <paramref name="progress"/>; completes when the store has taken it.</summary>
    internal ValueTask WriteProgressAsync(TaskProgress? progress) => _manager.WriteProgressAsync(this, progress);

    internal void ReportProgressFault(Exception exception) => _manager.Diagnostics.PersistenceFault(exception, "progress", TaskId);

    private void RunAsync() => _ = _manager.RunTaskAsync(this);
}
