using System.Collections.Specialized;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Records a bound collection's change events as short text: <c>+0</c>, <c>-2</c>, <c>=1</c>, <c>1>3</c>, <c>reset</c>.</summary>
internal sealed class CollectionEvents
{
    private readonly List<string> _events = [];

    public CollectionEvents(INotifyCollectionChanged collection) => collection.CollectionChanged += (_, e) => _events.Add(e.Action switch
    {
        NotifyCollectionChangedAction.Add => $"+{e.NewStartingIndex}",
        NotifyCollectionChangedAction.Remove => $"-{e.OldStartingIndex}",
        NotifyCollectionChangedAction.Replace => $"={e.NewStartingIndex}",
        NotifyCollectionChangedAction.Move => $"{e.OldStartingIndex}>{e.NewStartingIndex}",
        _ => "reset",
    });

    public IReadOnlyList<string> Events => _events;

    public void Clear() => _events.Clear();
}
