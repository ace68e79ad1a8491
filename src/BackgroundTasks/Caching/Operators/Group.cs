using System.Runtime.ExceptionServices;

namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>Group</c>: one <see cref="IGroup{TObject, TKey, TGroupKey}"/> per group key, each with a live
/// cache of its members, as DynamicData's <c>Group</c>.
/// </summary>
/// <remarks>
/// <para>
/// For each change set it first runs the group key selector on every Add, Update and Refresh (the user's code: if
/// it throws, the chain fails), then applies the members' changes to each group touched, one change set per group,
/// and only then emits the groups that appeared (Adds) and those left empty (Removes). So a subscriber that
/// connects to a new group's cache on its Add finds the members already there, and an item that moves is removed
/// from its old group before the group-level change set arrives. A change that leaves an item in its group touches
/// only that group's cache: no group-level change set. A removed group's streams complete after its Remove.
/// </para>
/// <para>
/// An observer of a group's cache that throws does not stop the other groups from being brought up to date: the
/// exception propagates (several as an <see cref="AggregateException"/>) after the group-level change set.
/// </para>
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the items' keys.</typeparam>
/// <typeparam name="TGroupKey">The type of the group key.</typeparam>
internal sealed class Group<TObject, TKey, TGroupKey>
    : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey>>
    where TObject : class
    where TKey : notnull
    where TGroupKey : notnull
{
    private readonly Func<TObject, TGroupKey> _groupKey;
    private readonly Dictionary<TKey, ManagedGroup<TObject, TKey, TGroupKey>> _membership = [];
    private readonly Dictionary<TGroupKey, ManagedGroup<TObject, TKey, TGroupKey>> _groups = [];
    private readonly List<ManagedGroup<TObject, TKey, TGroupKey>> _touched = [];
    private readonly List<Change<IGroup<TObject, TKey, TGroupKey>, TGroupKey>> _buffer = [];

    public Group(IObserver<IChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey>> downstream, Func<TObject, TGroupKey> groupKey)
        : base(downstream) => _groupKey = groupKey;

    protected override IChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        // Only the bookkeeping here; the groups' caches are written in Publish, where their observers run.
        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            TKey key = change.Key;
            _membership.TryGetValue(key, out ManagedGroup<TObject, TKey, TGroupKey>? from);
            if (change.Reason == ChangeReason.Remove)
            {
                if (from is not null)
                {
                    _membership.Remove(key);
                    Touch(from, ChangeSets.Remove(key, change.Current));
                    from.Members--;
                }

                continue;
            }

            TGroupKey groupKey = _groupKey(change.Current) ?? throw new InvalidOperationException(Messages.NullGroupKey(key));
            if (from is not null && EqualityComparer<TGroupKey>.Default.Equals(from.Key, groupKey))
            {
                Touch(from, change);
                continue;
            }

            if (from is not null)
            {
                // The item moves: out of its old group, in as an Add to the new one.
                Touch(from, ChangeSets.Remove(key, change.Reason == ChangeReason.Update ? change.Previous! : change.Current));
                from.Members--;
            }

            if (!_groups.TryGetValue(groupKey, out ManagedGroup<TObject, TKey, TGroupKey>? to))
            {
                to = new ManagedGroup<TObject, TKey, TGroupKey>(groupKey);
                _groups.Add(groupKey, to);
            }

            _membership[key] = to;
            Touch(to, ChangeSets.Add(key, change.Current));
            to.Members++;
        }

        foreach (ManagedGroup<TObject, TKey, TGroupKey> group in _touched)
        {
            if (group.Members == 0)
            {
                _groups.Remove(group.Key);
                if (group.IsAnnounced)
                {
                    _buffer.Add(ChangeSets.Remove<IGroup<TObject, TKey, TGroupKey>, TGroupKey>(group.Key, group));
                }
            }
            else if (!group.IsAnnounced)
            {
                group.IsAnnounced = true;
                _buffer.Add(ChangeSets.Add<IGroup<TObject, TKey, TGroupKey>, TGroupKey>(group.Key, group));
            }
        }

        // Publish needs the touched groups even when no group appeared or went (an update inside one group).
        return ChangeSets.Drain(_buffer) ?? NoGroupChanges.Instance;
    }

    protected override void Publish(IChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey> result)
    {
        List<Exception>? errors = null;
        foreach (ManagedGroup<TObject, TKey, TGroupKey> group in _touched)
        {
            try
            {
                group.ApplyPending();
            }
            catch (Exception exception)
            {
                (errors ??= []).Add(exception);
            }
        }

        try
        {
            if (!ReferenceEquals(result, NoGroupChanges.Instance))
            {
                Downstream.OnNext(result);
            }
        }
        finally
        {
            // The groups left empty (removed, or made and emptied within this change set) end after their Remove.
            foreach (ManagedGroup<TObject, TKey, TGroupKey> group in _touched)
            {
                if (group.Members == 0)
                {
                    group.End(null);
                }
            }

            _touched.Clear();
        }

        if (errors is not null)
        {
            if (errors.Count == 1)
            {
                ExceptionDispatchInfo.Throw(errors[0]);
            }

            throw new AggregateException(errors);
        }
    }

    protected override void OnStopped()
    {
        foreach (ManagedGroup<TObject, TKey, TGroupKey> group in _groups.Values)
        {
            group.End(Error);
        }

        _groups.Clear();
        _membership.Clear();
    }

    private void Touch(ManagedGroup<TObject, TKey, TGroupKey> group, in Change<TObject, TKey> change)
    {
        if (group.Pending.Count == 0)
        {
            _touched.Add(group);
        }

        group.Pending.Add(change);
    }

    /// <summary>The marker Process returns when groups' caches changed but no group appeared or went.</summary>
    private static class NoGroupChanges
    {
        public static readonly IChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey> Instance =
            new ChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey>([]);
    }
}
