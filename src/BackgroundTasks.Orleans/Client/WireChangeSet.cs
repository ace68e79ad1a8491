using BackgroundTasks.Caching;

namespace BackgroundTasks.Orleans;

/// <summary>A change set rebuilt on the client from the wire.</summary>
internal sealed class WireChangeSet : List<Change<TaskSummary, string>>, IChangeSet<TaskSummary, string>
{
    public int Adds => CountOf(ChangeReason.Add);

    public int Updates => CountOf(ChangeReason.Update);

    public int Removes => CountOf(ChangeReason.Remove);

    public int Refreshes => CountOf(ChangeReason.Refresh);

    private int CountOf(ChangeReason reason)
    {
        var count = 0;
        foreach (var change in this)
        {
            if (change.Reason == reason)
            {
                count++;
            }
        }

        return count;
    }
}
