using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>
/// What a thread grain keeps in its grain storage: every record of the thread, each as the core's own TaskSummary
/// JSON, in the order the tasks were first saved.
/// </summary>
/// <remarks>
/// JSON text keeps the stored state readable and independent of the provider's serializer (binary, System.Text.Json
/// or Newtonsoft): it is a list of strings to every one of them.
/// </remarks>
[GenerateSerializer]
public sealed class ThreadRecordsState
{
    /// <summary>The records, as TaskSummary JSON.</summary>
    [Id(0)]
    public List<string> Records { get; set; } = [];
}
