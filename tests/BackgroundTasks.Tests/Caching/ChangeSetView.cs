using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching;

/// <summary>
/// Rebuilds a cache's contents from the change sets a subscriber receives, and records every change that
/// does not fit what it holds (an Add of a key it has, an Update whose Previous is not what it holds...).
/// </summary>
internal sealed class ChangeSetView<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly Dictionary<TKey, TObject> _items = [];
    private readonly List<string> _errors = [];

    public IReadOnlyDictionary<TKey, TObject> Items => _items;

    public IReadOnlyList<string> Errors => _errors;

    public int ChangeSets { get; private set; }

    public void Apply(IChangeSet<TObject, TKey> changes)
    {
        ChangeSets++;
        if (changes.Count == 0)
        {
            _errors.Add("An empty change set was sent.");
        }

        foreach (Change<TObject, TKey> change in changes)
        {
            bool held = _items.TryGetValue(change.Key, out TObject? current);
            switch (change.Reason)
            {
                case ChangeReason.Add when held:
                    _errors.Add($"Add of held key {change.Key}.");
                    break;
                case ChangeReason.Update when !held || !ReferenceEquals(current, change.Previous):
                    _errors.Add($"Update of {change.Key} whose Previous is not the held item.");
                    break;
                case ChangeReason.Remove when !held || !ReferenceEquals(current, change.Current):
                    _errors.Add($"Remove of {change.Key} whose Current is not the held item.");
                    break;
                case ChangeReason.Refresh when !held || !ReferenceEquals(current, change.Current):
                    _errors.Add($"Refresh of {change.Key} whose Current is not the held item.");
                    break;
            }

            if (change.Reason == ChangeReason.Remove)
            {
                _items.Remove(change.Key);
            }
            else
            {
                _items[change.Key] = change.Current;
            }
        }
    }
}
