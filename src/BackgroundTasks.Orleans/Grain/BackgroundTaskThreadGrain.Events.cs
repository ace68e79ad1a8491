using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BackgroundTasks.Orleans;

internal sealed partial class BackgroundTaskThreadGrain
{
    public async IAsyncEnumerable<ThreadEvent> ObserveEventsAsync(string? epoch, long? afterSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var changes = _changes ?? throw new InvalidOperationException(OrleansMessages.NotActive);

        // Sequences are numbered per activation: a reader from another one missed everything this one published.
        var after = epoch is not null && epoch != changes.Epoch ? 0 : afterSequence;
        var channel = Channel.CreateUnbounded<TaskEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var subscription = Manager.ObserveEvents(ThreadId, after).Subscribe(
            taskEvent => channel.Writer.TryWrite(taskEvent),
            error => channel.Writer.TryComplete(error),
            () => channel.Writer.TryComplete());
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, SiloStopping);
        using var registration = stopping.Token.Register(() => channel.Writer.TryComplete());

        yield return new ThreadEvent { Epoch = changes.Epoch };
        while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(true))
        {
            while (channel.Reader.TryRead(out var taskEvent))
            {
                yield return new ThreadEvent { Epoch = changes.Epoch, Event = taskEvent };
            }
        }
    }
}
