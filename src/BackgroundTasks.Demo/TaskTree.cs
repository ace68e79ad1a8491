namespace BackgroundTasks.Demo;

/// <summary>The board's rows as a tree in display order, each with the guide (<c>├─ </c>, <c>│  └─ </c>…) that draws its place.</summary>
internal static class TaskTree
{
    public static IReadOnlyList<Node> Flatten(IReadOnlyList<TaskRow> rows)
    {
        var byParent = rows.ToLookup(row => row.ParentId ?? string.Empty);
        var known = rows.Select(row => row.TaskId).ToHashSet(StringComparer.Ordinal);
        var nodes = new List<Node>(rows.Count);
        foreach (var root in rows.Where(row => row.ParentId is null || !known.Contains(row.ParentId)))
        {
            nodes.Add(new Node(root, string.Empty));
            AddChildren(nodes, root, string.Empty, byParent);
        }

        return nodes;
    }

    /// <summary>A task's own progress; an agent, which reports none, shows the mean of its children's.</summary>
    public static int Percent(TaskRow row, IReadOnlyList<TaskRow> rows)
    {
        if (row.Summary.Status == BackgroundTaskStatus.Completed)
        {
            return 100;
        }

        var children = rows.Where(child => child.ParentId == row.TaskId).ToList();
        return row.Percent > 0 || children.Count == 0 ? row.Percent : (int)children.Average(child => Percent(child, rows));
    }

    private static void AddChildren(List<Node> nodes, TaskRow parent, string indent, ILookup<string, TaskRow> byParent)
    {
        var children = byParent[parent.TaskId].ToList();
        for (var i = 0; i < children.Count; i++)
        {
            var last = i == children.Count - 1;
            nodes.Add(new Node(children[i], indent + (last ? "└─ " : "├─ ")));
            AddChildren(nodes, children[i], indent + (last ? "   " : "│  "), byParent);
        }
    }

    /// <summary>A row and the guide drawn before its id.</summary>
    public sealed record Node(TaskRow Row, string Guide);
}
