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
internal sealed class TaskRuntime : IDataflowBlock
{
    private readonly BackgroundTaskManager _manager;
    private readonly Delegate _body;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<TaskSummary?> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _whenCancelled;
    private int _ended;

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

    /// <summary>The Running record written at spawn; the terminal record is derived from it.</summary>
    public TaskSummary Running { get; private set; } = null!;

    public TaskEventChannel Events { get; }

    public (InboxSender Sender, InboxReceiver Receiver)? AgentInbox { get; }

    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>The task's activity, from spawn to end; null while nobody listens to the activity source.</summary>
    public Activity? Activity { get; set; }

    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>The terminal record once the task has fully ended; null if the spawn was abandoned.</summary>
    public Task<TaskSummary?> Terminal => _completion.Task;

    public Task Completion => _completion.Task;

    /// <summary>Gives the runtime its id and record once its name has been claimed.</summary>
    public void Activate(string taskId, TaskSummary running)
    {
        Debug.Assert(TaskId.Length == 0, "A runtime is activated once.");
        TaskId = taskId;
        Running = running;
    }

    /// <summary>Starts the body on <paramref name="scheduler"/>; never inline on the caller's thread.</summary>
    public void Start(TaskScheduler scheduler) =>
        _ = Task.Factory.StartNew(
            static state => ((TaskRuntime)state!).RunAsync(),
            this,
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            scheduler).Unwrap();

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

    public void SetTerminal(TaskSummary? terminal) => _completion.TrySetResult(terminal);

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

    private Task RunAsync() => _manager.RunTaskAsync(this);
}
