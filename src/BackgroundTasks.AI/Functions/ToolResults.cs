using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackgroundTasks.AI;

/// <summary>The JSON results the tools return: every answer, error or not, is a JSON object.</summary>
internal static class ToolResults
{
    public const string InvalidArguments = "invalid_arguments";
    public const string NotFound = "not_found";
    public const string UnknownAgent = "unknown_agent";
    public const string DuplicateName = "duplicate_name";
    public const string ReservedName = "reserved_name";
    public const string QueueFull = "queue_full";
    public const string RunCancelled = "run_cancelled";
    public const string SpawnFailed = "spawn_failed";
    public const string RecipientNotFound = "recipient_not_found";
    public const string RecipientUnavailable = "recipient_unavailable";
    public const string DeliveryNotSupported = "delivery_not_supported";

    public static JsonElement Error(string code) => ToElement(new JsonObject { ["error"] = code });

    public static JsonElement Error(string code, string message) =>
        ToElement(new JsonObject { ["error"] = code, ["message"] = message });

    public static JsonElement SendFailed(string code) => ToElement(new JsonObject { ["status"] = "failed", ["error"] = code });

    public static JsonNode? Summary(TaskSummary summary) => JsonSerializer.SerializeToNode(summary);

    public static JsonArray Summaries(IEnumerable<TaskSummary> summaries) => [.. summaries.Select(Summary)];

    public static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
