using System.Threading.Tasks.Dataflow;

namespace BackgroundTasks;

/// <summary>
/// The block <see cref="BackgroundTaskDataflow"/> hands out: the inner block does the work, and this one adds a
/// completion that says the block was cancelled, once every summary it owed has been taken.
/// </summary>
/// <remarks>
/// The inner block is built without the cancellation token, because a dataflow block cancelled by its token drops
/// every message it holds, and here those are the terminal summaries of tasks that were really spawned. Instead,
/// cancelling the token completes the inner block (it declines new input and skips input it has not spawned yet)
/// and cancels the running tasks, whose Cancelled summaries are then emitted. Everything else is passed straight
/// through, as <see cref="DataflowBlock.Encapsulate{TInput, TOutput}"/> does, so linked targets see the inner block
/// as the source and complete when it completes.
/// </remarks>
internal sealed class SpawnBlock<TInput> : IPropagatorBlock<TInput, TaskSummary>, IReceivableSourceBlock<TaskSummary>
{
    private readonly TransformManyBlock<TInput, TaskSummary> _inner;

    public SpawnBlock(TransformManyBlock<TInput, TaskSummary> inner, CancellationToken cancellation)
    {
        _inner = inner;
        Completion = CompleteAsync(inner, cancellation);
    }

    public Task Completion { get; }

    public void Complete() => _inner.Complete();

    void IDataflowBlock.Fault(Exception exception) => ((IDataflowBlock)_inner).Fault(exception);

    DataflowMessageStatus ITargetBlock<TInput>.OfferMessage(DataflowMessageHeader messageHeader, TInput messageValue,
        ISourceBlock<TInput>? source, bool consumeToAccept) =>
        ((ITargetBlock<TInput>)_inner).OfferMessage(messageHeader, messageValue, source, consumeToAccept);

    public IDisposable LinkTo(ITargetBlock<TaskSummary> target, DataflowLinkOptions linkOptions) => _inner.LinkTo(target, linkOptions);

    TaskSummary? ISourceBlock<TaskSummary>.ConsumeMessage(DataflowMessageHeader messageHeader, ITargetBlock<TaskSummary> target,
        out bool messageConsumed) =>
        ((ISourceBlock<TaskSummary>)_inner).ConsumeMessage(messageHeader, target, out messageConsumed);

    bool ISourceBlock<TaskSummary>.ReserveMessage(DataflowMessageHeader messageHeader, ITargetBlock<TaskSummary> target) =>
        ((ISourceBlock<TaskSummary>)_inner).ReserveMessage(messageHeader, target);

    void ISourceBlock<TaskSummary>.ReleaseReservation(DataflowMessageHeader messageHeader, ITargetBlock<TaskSummary> target) =>
        ((ISourceBlock<TaskSummary>)_inner).ReleaseReservation(messageHeader, target);

    public bool TryReceive(Predicate<TaskSummary>? filter, out TaskSummary item) => _inner.TryReceive(filter, out item!);

    public bool TryReceiveAll([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IList<TaskSummary>? items) => _inner.TryReceiveAll(out items);

    private static async Task CompleteAsync(TransformManyBlock<TInput, TaskSummary> inner, CancellationToken cancellation)
    {
        var registration = cancellation.UnsafeRegister(static state => ((IDataflowBlock)state!).Complete(), inner);
        try
        {
            // A fault (a refused spawn) wins over a cancellation.
            await inner.Completion.ConfigureAwait(false);
        }
        finally
        {
            // Unregister rather than Dispose: nothing here needs to wait for a callback in flight.
            registration.Unregister();
        }

        cancellation.ThrowIfCancellationRequested();
    }
}
