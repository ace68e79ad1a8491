using System.Collections.ObjectModel;
using System.Collections.Specialized;
using System.ComponentModel;

namespace BackgroundTasks.Caching;

/// <summary>
/// The <see cref="ObservableCollection{T}"/> behind <c>Bind</c> and <c>SortAndBind</c>: it can also be refilled
/// with one <see cref="NotifyCollectionChangedAction.Reset"/> instead of an event per item.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
internal sealed class BoundCollection<T> : ObservableCollection<T>, ISortedListListener<T>
{
    // Above this many changes in one change set, a view is cheaper to rebuild than to update item by item
    // (DynamicData's default reset threshold).
    public const int ResetThreshold = 25;

    private static readonly PropertyChangedEventArgs s_countChanged = new(nameof(Count));
    private static readonly PropertyChangedEventArgs s_indexerChanged = new("Item[]");
    private static readonly NotifyCollectionChangedEventArgs s_reset = new(NotifyCollectionChangedAction.Reset);

    /// <summary>Replaces the contents with <paramref name="items"/> and raises one Reset.</summary>
    /// <param name="items">The new contents, in order.</param>
    public void Load(IEnumerable<T> items)
    {
        CheckReentrancy();
        Items.Clear();
        foreach (T item in items)
        {
            Items.Add(item);
        }

        OnPropertyChanged(s_countChanged);
        OnPropertyChanged(s_indexerChanged);
        OnCollectionChanged(s_reset);
    }

    void ISortedListListener<T>.Loaded(IEnumerable<T> items) => Load(items);

    void ISortedListListener<T>.Inserted(int index, T item) => InsertItem(index, item);

    void ISortedListListener<T>.Removed(int index) => RemoveItem(index);

    void ISortedListListener<T>.Replaced(int index, T item) => SetItem(index, item);

    void ISortedListListener<T>.Moved(int from, int to) => MoveItem(from, to);
}
