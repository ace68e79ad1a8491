namespace BackgroundTasks;

/// <summary>The meeting point that starts, or drops, a task that was queued at spawn.</summary>
/// <remarks>
/// <para>
/// Two things must both have happened before such a task can move: its spawn has written the Queued record
/// (<see cref="SetRecorded"/>), and the task has left its queue (<see cref="SetDecided"/>), either handed a run
/// slot (<see cref="Started"/>) or taken out by a cancellation (<see cref="Dropped"/>). Only one of those two
/// can take it out, under the gate's lock, so at most one decision is ever made. They happen on different
/// threads in either order; whoever comes second acts. So the Running (or Cancelled) record is never written
/// before the Queued record it replaces, and the task is started or finished exactly once.
/// </para>
/// <para>A spawn whose record could not be written never sets <see cref="Recorded"/>; it undoes itself instead.</para>
/// <para>
/// A cancellation that comes after the task left its queue races with the start of its body instead:
/// <see cref="TryEnterBody"/> and <see cref="PreventBody"/> decide it with one compare-and-swap, and the cancellation
/// makes its call before the cancel method returns. So once a cancel has returned, the body of a task that was
/// queued is never invoked unless its invocation had already begun.
/// </para>
/// </remarks>
internal sealed class QueuedStart(ExecutionContext? spawnContext)
{
    public const int Started = 1;
    public const int Dropped = 2;
    private const int Recorded = 4;

    private const int BodyEntered = 1;
    private const int BodyPrevented = 2;

    private int _state;
    private int _body;

    /// <summary>The spawner's execution context, which the body runs in as an unqueued body would (null: flow was suppressed).</summary>
    public ExecutionContext? SpawnContext { get; } = spawnContext;

    /// <summary>Takes the task out of its queue when its token is cancelled; dropped once the task leaves the queue.</summary>
    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>
    /// Called just before every attempt invokes the body: false when a cancellation came first (after the task left
    /// its queue), so the body must not run. The first call decides; later attempts pass once the body has run.
    /// </summary>
    public bool TryEnterBody() => Interlocked.CompareExchange(ref _body, BodyEntered, 0) != BodyPrevented;

    /// <summary>Called by a cancellation of a task that has left its queue: keeps its body from ever running, unless it already has.</summary>
    public void PreventBody() => Interlocked.CompareExchange(ref _body, BodyPrevented, 0);

    /// <summary>The Queued record is in the store. Returns the decision made before (for the spawn to act on), or 0.</summary>
    public int SetRecorded() => Interlocked.Or(ref _state, Recorded) & (Started | Dropped);

    /// <summary>The task left its queue with <paramref name="decision"/>. True when the record is in the store, so the caller acts.</summary>
    public bool SetDecided(int decision) => (Interlocked.Or(ref _state, decision) & Recorded) != 0;
}
