using System.Globalization;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    private static readonly Task<IReadOnlyList<TaskSummary>> s_noTree = Task.FromResult<IReadOnlyList<TaskSummary>>([]);

    /// <summary>A task and all its descendants (following <see cref="TaskParentContext.TaskId"/> links), live or ended.</summary>
    /// <param name="taskId">The root of the tree.</param>
    /// <returns>
    /// The root's record first, then its descendants' in spawn order (by <c>bg_N</c> number; other ids after them,
    /// by creation time). Empty when no task has the id.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    /// <remarks>Costs time proportional to the tree, not to the store. A descendant whose record has been pruned is missing, and so are the tasks below it that were linked only through it.</remarks>
    public Task<IReadOnlyList<TaskSummary>> ListTreeAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (Find(taskId) is not { } root || Store is not { } store)
        {
            return s_noTree;
        }

        // Iterative, so a chain of 100k tasks cannot overflow the stack. Every record has one parent, so each task is
        // reached once; a hand-edited snapshot could make the root its own descendant, which stops at the root, and
        // the budget stops any other cycle: no tree holds more tasks than the store.
        var descendants = new List<TaskSummary>();
        var budget = store.Tasks.Count;
        var pending = new Stack<string>();
        pending.Push(taskId);
        while (pending.TryPop(out var parentId))
        {
            foreach (var childId in store.Index.ChildrenOf(parentId))
            {
                if (childId == taskId || --budget < 0 || store.Lookup(childId) is not { } child)
                {
                    continue;
                }

                descendants.Add(child);
                pending.Push(childId);
            }
        }

        descendants.Sort(static (left, right) => SpawnOrder.Compare(left, right));
        var tree = new List<TaskSummary>(descendants.Count + 1) { root };
        tree.AddRange(descendants);
        return Task.FromResult<IReadOnlyList<TaskSummary>>(tree);
    }

    /// <summary>Spawn order: ids are <c>bg_N</c> in spawn order; ids of another form (hand-made, restored) come after, by creation time.</summary>
    private static class SpawnOrder
    {
        public static int Compare(TaskSummary left, TaskSummary right)
        {
            var leftNumber = Number(left.TaskId);
            var rightNumber = Number(right.TaskId);
            if (leftNumber != rightNumber)
            {
                return leftNumber.CompareTo(rightNumber);
            }

            var byCreation = left.CreatedAt.CompareTo(right.CreatedAt);
            return byCreation != 0 ? byCreation : string.CompareOrdinal(left.TaskId, right.TaskId);
        }

        private static long Number(string taskId) =>
            taskId.StartsWith(TaskIdPrefix, StringComparison.Ordinal)
            && long.TryParse(taskId.AsSpan(TaskIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : long.MaxValue;
    }
}
