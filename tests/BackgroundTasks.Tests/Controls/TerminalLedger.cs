namespace BackgroundTasks.Tests.Controls;

/// <summary>Counts, from a store's change stream, each task's terminal writes and any write after one.</summary>
internal sealed class TerminalLedger : IDisposable
{
    private readonly Dictionary<string, int> _terminalWrites = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private int _writesAfterEnd;

    public TerminalLedger(TaskStateStore store) =>
        _subscription = store.Tasks.Connect().Subscribe(changes =>
        {
            foreach (var change in changes)
            {
                if (change.Previous is { } previous && previous.Status.IsTerminal())
                {
                    Interlocked.Increment(ref _writesAfterEnd);
                }

                if (change.Current.Status.IsTerminal())
                {
                    lock (_terminalWrites)
                    {
                        _terminalWrites[change.Key] = _terminalWrites.GetValueOrDefault(change.Key) + 1;
                    }
                }
            }
        });

    public int WritesAfterEnd => Volatile.Read(ref _writesAfterEnd);

    public IReadOnlyDictionary<string, int> TerminalWrites
    {
        get
        {
            lock (_terminalWrites)
            {
                return new Dictionary<string, int>(_terminalWrites, StringComparer.Ordinal);
            }
        }
    }

    public void Dispose() => _subscription.Dispose();
}
