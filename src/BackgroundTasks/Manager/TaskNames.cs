namespace BackgroundTasks;

/// <summary>Rules for task names.</summary>
internal static class TaskNames
{
    /// <summary>Names that address groups or relatives in agent messaging, so no task may take them.</summary>
    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "parent", "self", "all", "broadcast",
    };

    public static bool IsReserved(string name) => s_reserved.Contains(name.Trim());
}
