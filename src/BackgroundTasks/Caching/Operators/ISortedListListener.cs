namespace BackgroundTasks.Caching;

/// <summary>What a <see cref="SortedKeyedList{TObject, TKey}"/> tells a list that mirrors it, by index.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
internal interface ISortedListListener<TObject>
{
    /// <summary>The list was filled at once with these items, in order.</summary>
    void Loaded(IEnumerable<TObject> items);

    /// <summary>An item was inserted at the index.</summary>
    void Inserted(int index, TObject item);

    /// <summary>The item at the index was removed.</summary>
    void Removed(int index);

    /// <summary>The item at the index was replaced, in place.</summary>
    void Replaced(int index, TObject item);

    /// <summary>The item at <paramref name="from"/> was moved to <paramref name="to"/>.</summary>
    void Moved(int from, int to);
}
