using Akka.Actor;

namespace BackgroundTasks.Benchmarks.Peer;

/// <summary>Keeps the record of every task (like the store) and signals when the expected number has ended.</summary>
internal sealed class SinkActor : ReceiveActor
{
    private readonly Dictionary<string, BackgroundTaskStatus> _records = new(StringComparer.Ordinal);
    private int _remaining;
    private TaskCompletionSource? _done;

    public SinkActor()
    {
        Receive<ExpectTasks>(expect =>
        {
            _records.Clear();
            _remaining = expect.Count;
            _done = expect.Done;
        });
        Receive<TaskDone>(done =>
        {
            _records[done.TaskId] = done.Status;
            if (--_remaining == 0)
            {
                _done?.TrySetResult();
            }
        });
    }
}
