using System.Text.Json;
using BackgroundTasks.AI.Tests.TestSupport;

namespace BackgroundTasks.AI.Tests;

/// <summary>Model arguments are untrusted: every bad one is an invalid_arguments result, never an exception or a hang.</summary>
public sealed class ArgumentAbuseTests
{
    private static readonly string s_megabyte = new('x', 1024 * 1024);

    public static TheoryData<string, string, string> Cases => new()
    {
        { "spawn_agent", "{}", Messages.Missing("agent") },
        { "spawn_agent", """{"agent": "researcher"}""", Messages.Missing("task") },
        { "spawn_agent", """{"agent": 7, "task": "t"}""", Messages.NotString("agent") },
        { "spawn_agent", """{"agent": "researcher", "task": {"text": "t"}}""", Messages.NotString("task") },
        { "spawn_agent", $$"""{"agent": "researcher", "task": "{{s_megabyte}}"}""", Messages.TooLong("task", 32_768) },
        { "spawn_agent", """{"agent": "researcher", "task": "t", "name": "   "}""", Messages.Empty("name") },
        { "spawn_agent", $$"""{"agent": "researcher", "task": "t", "name": "{{new string('n', 201)}}"}""", Messages.TooLong("name", 200) },
        { "task_status", "{}", Messages.Missing("task_id") },
        { "task_status", """{"task_id": ["bg_0"]}""", Messages.NotString("task_id") },
        { "task_status", """{"task_id": null}""", Messages.Missing("task_id") },
        { "task_list", """{"status": 3}""", Messages.NotString("status") },
        { "task_cancel", """{"task_id": "bg_0", "tree": "yes"}""", Messages.NotBoolean("tree") },
        { "task_cancel", """{"tree": true}""", Messages.Missing("task_id") },
        { "task_wait", "{}", Messages.Missing("task_ids") },
        { "task_wait", """{"task_ids": "bg_0"}""", Messages.NotStringArray("task_ids") },
        { "task_wait", """{"task_ids": []}""", Messages.Empty("task_ids") },
        { "task_wait", """{"task_ids": ["bg_0", 1]}""", Messages.NotStringArray("task_ids") },
        { "task_wait", $$"""{"task_ids": [{{string.Join(", ", Enumerable.Range(0, 10_000).Select(i => $"\"bg_{i}\""))}}]}""", Messages.TooManyIds("task_ids", 64) },
        { "task_wait", """{"task_ids": ["bg_0"], "mode": "some"}""", Messages.NotOneOf("mode", ["all", "any"]) },
        { "task_wait", """{"task_ids": ["bg_0"], "timeout_seconds": -1}""", Messages.Negative("timeout_seconds") },
        { "task_wait", """{"task_ids": ["bg_0"], "timeout_seconds": "5"}""", Messages.NotNumber("timeout_seconds") },
        { "send_message", """{"to": "alpha"}""", Messages.Missing("message") },
        { "send_message", $$"""{"to": "alpha", "message": "{{s_megabyte}}"}""", Messages.TooLong("message", 32_768) },
        { "send_message", """{"to": false, "message": "hi"}""", Messages.NotString("to") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadArgument_AnswersInvalidArgumentsNamingIt_AndDoesNothing(string function, string arguments, string message)
    {
        await using var harness = ToolsHarness.Create();

        var result = await harness.CallAsync(function, arguments);

        Assert.Equal(JsonSerializer.Serialize(new { error = "invalid_arguments", message }), result.GetRawText());
        Assert.Empty(await harness.Manager.ListAsync(ToolsHarness.Thread));
    }

    [Fact]
    public async Task HandBuiltClrArguments_AreCheckedAlike()
    {
        await using var harness = ToolsHarness.Create();

        var wrongType = await harness.CallWithValuesAsync("task_status", new Dictionary<string, object?> { ["task_id"] = 42 });
        var tooMany = await harness.CallWithValuesAsync("task_wait", new Dictionary<string, object?> { ["task_ids"] = Enumerable.Range(0, 10_000).Select(i => $"bg_{i}") });
        var fine = await harness.CallWithValuesAsync("task_wait", new Dictionary<string, object?> { ["task_ids"] = new List<string> { "bg_0" }, ["timeout_seconds"] = 0 });

        Assert.Equal(Messages.NotString("task_id"), wrongType.GetProperty("message").GetString());
        Assert.Equal(Messages.TooManyIds("task_ids", 64), tooMany.GetProperty("message").GetString());
        Assert.Equal("""{"error":"not_found","task_id":"bg_0"}""", fine.GetRawText());
    }
}
