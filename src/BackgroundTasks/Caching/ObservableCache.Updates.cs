using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <content>The writes an edit makes through its <see cref="SourceUpdater{TObject, TKey}"/>; all under the lock.</content>
internal sealed partial class ObservableCache<TObject, TKey>
{
    internal void AddOrUpdateCore(TObject item, TKey key) => ExchangeCore(item, key);

    /// <summary>Adds or replaces the item under <paramref name="key"/>; returns the one it replaced (one hash probe for both).</summary>
    internal TObject? ExchangeCore(TObject item, TKey key) => ExchangeCore(item, key, keepsCurrent: null, out _);

    /// <summary>
    /// <see cref="ExchangeCore(TObject, TKey)"/>, unless <paramref name="keepsCurrent"/> says the item already under the
    /// key stays (then nothing changes, <paramref name="exchanged"/> is false and that item is returned): the check
    /// and the write are still one hash probe.
    /// </summary>
    internal TObject? ExchangeCore(TObject item, TKey key, Func<TObject, TObject, bool>? keepsCurrent, out bool exchanged)
    {
        Debug.Assert(IsEditingOnCurrentThread);
        ref TObject? slot = ref _items.GetValueRefOrAddDefault(key, out bool exists);
        TObject? previous = slot;
        if (exists && keepsCurrent is not null && keepsCurrent(previous!, item))
        {
            exchanged = false;
            return previous;
        }

        exchanged = true;
        slot = item;
        if (_recording)
        {
            _pending.Add(exists
                ? new Change<TObject, TKey>(ChangeReason.Update, key, item, previous)
                : new Change<TObject, TKey>(ChangeReason.Add, key, item, null));
        }

        return previous;
    }

    internal void RemoveCore(TKey key)
    {
        Debug.Assert(IsEditingOnCurrentThread);
        if (_items.Remove(key, out TObject? removed) && _recording)
        {
            _pending.Add(new Change<TObject, TKey>(ChangeReason.Remove, key, removed, null));
        }
    }

    internal void RefreshCore(TKey key)
    {
        Debug.Assert(IsEditingOnCurrentThread);
        if (_recording && _items.TryGetValue(key, out TObject? current))
        {
            _pending.Add(new Change<TObject, TKey>(ChangeReason.Refresh, key, current, null));
        }
    }

    internal TObject? LookupCore(TKey key)
    {
        Debug.Assert(IsEditingOnCurrentThread);
        return _items.GetValueOrDefault(key);
    }
}
