namespace BackgroundTasks.Benchmarks;

/// <summary>
/// Lets a producer wait until a single consumer has taken the messages it sent. Armed by the producer
/// before it sends; signalled by the one consumer thread at a time (so the count needs no lock).
/// </summary>
internal sealed class Countdown
{
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    public Task Arm(int count)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, count);
        return _done.Task;
    }

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}
