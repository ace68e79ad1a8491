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
    "The token source (made lazily) has no timer and no linked parents, so the GC reclaims it; disposing it at the end "
    + "of the task would race with a concurrent CancelAsync and turn a harmless late cancel into an exception.")]
internal sealed partial class TaskRuntime : TaskEventChannel, IDataflowBlock, IThreadPoolWorkItem
{
    private static readonly Task<TaskResult> s_notStarted = Task.FromResult(TaskResult.Cancelled);

    private readonly Delegate _body;

    // Made when first needed: by a body (or an attempt) that reads the token, or by a cancellation request. A body
    // that never looks at its token (and is never cancelled) costs no token source.
    private CancellationTokenSource? _cancellation;

    private TaskSummary? _terminal;
    private int _terminalSet;

    // The spawner's context until the body starts (see Start), then the run's context while a suspended body is awaited.
    private ExecutionContext? _executionContext;
    private Task<TaskResult>? _pendingBody;

    // Made by the first progress report: most bodies never report, and the reporter costs two objects. Replaced by
    // s_progressClosed when the task ends with none, so a late report finds it closed.
    private ProgressReporter? _progress;

    public TaskRuntime(BackgroundTaskManager manager, string? name, Delegate body, OwnerEventLog eventLog, InboxSender? ownerInbox, bool isAgent)
        : base(eventLog, ownerInbox, manager)
    {
        _body = body;
        Name = name;
        if (isAgent)
        {
            Rare.AgentInbox = BackgroundTasks.AgentInbox.Create();
        }
    }

    public string TaskId { get; private set; } = string.Empty;

    public string? Name { get; }

    /// <summary>The task's runtime controls, as given at spawn.</summary>
    public SpawnOptions Options { get; init; } = SpawnOptions.Default;

    /// <summary>The Running record written at spawn, or at the start of the current attempt; the terminal record is derived from it.</summary>
    public TaskSummary Running { get; private set; } = null!;

    /// <summary>The task's event channel: the runtime itself.</summary>
    public TaskEventChannel Events => this;


    public AgentInbox? AgentInbox => _rare?.AgentInbox;

    public CancellationToken CancellationToken => Cancellation.Token;

    /// <summary>Whether cancellation was requested, without making the token source.</summary>
    public bool IsCancellationRequested => Volatile.Read(ref _cancellation)?.IsCancellationRequested ?? false;

    /// <summary>The task's activity, from spawn to end; null while nobody listens to the activity source.</summary>
    public Activity? Activity { get; set; }

    // The live tree (LiveTaskTable.Tree.cs); read and written only under the live table's lock.
    internal TaskRuntime? LinkParent { get; set; }

    internal TaskRuntime? FirstChild { get; set; }

    internal TaskRuntime? PreviousSibling { get; set; }

    internal TaskRuntime? NextSibling { get; set; }

    internal bool IsRemoved { get; set; }

    internal bool IsUnlinked { get; set; }

    /// <summary>
    /// Set when a tree cancellation reached this runtime, before its children were read; a child that links
    /// below it afterwards is cancelled as soon as it is registered (see <c>LiveTaskTable.Tree.cs</c>).
    /// </summary>
    internal bool IsTreeCancelled { get; set; }

    // Concurrency limits (OwnerConcurrencyGate.cs, BackgroundTaskManager.Queue.cs); untouched without a limit.
    // 1 while the task holds one of its owner's run slots; released once, by Interlocked.Exchange.
    internal int HoldsRunSlot;


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
            source = Interlocked.CompareExchange(ref Rare.Completion, source, null) ?? source;

            // SetTerminal publishes the record before it reads the completion source, and this reads the flag after
            // publishing the source (both with full fences), so at least one side completes the source.
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

    /// <summary>Replaces the Queued record of a task that leaves its queue with its Running record.</summary>
    public void MarkStarted(TaskSummary running)
    {
        Debug.Assert(Running.Status == BackgroundTaskStatus.Queued && running.TaskId == TaskId, "Only a queued task starts later.");
        Running = running;
    }

    /// <summary>Signals cancellation; false when the body has already ended.</summary>
    public bool RequestCancellation()
    {
        if (IsEnded)
        {
            return false;
        }

        CancelOwnToken();
        CancelCurrentAttempt();
        return true;
    }

    /// <summary>Cancels the task's own token: a cancellation, or the timeout of an attempt that runs on this token.</summary>
    public void CancelOwnToken()
    {
        try
        {
            // Token callbacks run here, synchronously; the caller holds no lock.
            Cancellation.Cancel();
        }
        catch (AggregateException exception)
        {
            // A user's token registration threw; cancellation has still been signalled.
            _manager.Diagnostics.DeliveryFault(exception, TaskId);
        }
    }

    /// <summary>Records the end and wakes waiters. Called once: by the end of the body, or by an abandoned spawn.</summary>
    public void SetTerminal(TaskSummary? terminal)
    {
        Debug.Assert(Volatile.Read(ref _terminalSet) == 0, "A runtime ends once.");
        _terminal = terminal;
        if (Interlocked.Exchange(ref _terminalSet, 1) == 0)
        {
            var rare = Volatile.Read(ref _rare);
            if (rare is not null)
            {
                Volatile.Read(ref rare.Completion)?.TrySetResult(terminal);
            }
        }
    }

    public Task WhenCancelled() => CancellationSignal.WhenCancelled(ref Rare.WhenCancelled, CancellationToken);

    /// <summary>Calls the body with the context its delegate shape asks for; <paramref name="attempt"/> is set when the attempt has timeouts.</summary>
    /// <remarks>A task that waited in its queue and was cancelled before its body began gets Cancelled instead (see <see cref="QueuedStart"/>).</remarks>
    public Task<TaskResult>? InvokeBody(TaskAttempt? attempt = null) => Queued is { } queued && !queued.TryEnterBody() ? s_notStarted : _body switch
    {
        Func<TaskContext, Task<TaskResult>> plain => plain(new TaskContext(new BodyScope(this, attempt))),
        Func<AgentTaskContext, Task<TaskResult>> agent => agent(new AgentTaskContext(new BodyScope(this, attempt))),
        Func<CancellationToken, InboxSender, InboxReceiver, Task<TaskResult>> raw =>
            raw(attempt?.Token ?? CancellationToken, AgentInbox!.Sender, AgentInbox.Receiver),
        _ => throw new UnreachableException("Unknown task body shape."),
    };

    void IDataflowBlock.Complete()
    {
        // A task block takes no input, so there is nothing to stop accepting; the body runs to its end.
    }

    public void Fault(Exception exception) => RequestCancellation();

    /// <summary>A progress report from the body (validated, and counted as a sign of life, by its context), written to the record.</summary>
    public void ReportProgress(TaskProgress progress)
    {
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

    /// <summary>Writes the task's record with <paramref name="progress"/>; completes when the store has taken it.</summary>
    internal ValueTask WriteProgressAsync(TaskProgress? progress) => _manager.WriteProgressAsync(this, progress);

    internal void ReportProgressFault(Exception exception) => _manager.Diagnostics.PersistenceFault(exception, "progress", TaskId);

    private CancellationTokenSource Cancellation => Volatile.Read(ref _cancellation) ?? MakeCancellation();

    /// <summary>The first to need the token source makes it; a racing second one takes the first one's.</summary>
    private CancellationTokenSource MakeCancellation()
    {
        var made = new CancellationTokenSource();
        return Interlocked.CompareExchange(ref _cancellation, made, null) ?? made;
    }
}
