using BackgroundTasks.AI.Tests.TestSupport;

namespace BackgroundTasks.AI.Tests;

public sealed class BackgroundTaskToolsTests
{
    [Fact]
    public async Task Functions_AreTheSixTools_EachWithADescriptionAndAnObjectSchema()
    {
        await using var harness = ToolsHarness.Create();

        Assert.Equal(["spawn_agent", "task_status", "task_list", "task_wait", "task_cancel", "send_message"],
            harness.Tools.Functions.Select(function => function.Name));
        Assert.All(harness.Tools.Functions, function =>
        {
            Assert.Contains("Returns", function.Description, StringComparison.Ordinal);
            Assert.Equal("object", function.JsonSchema.GetProperty("type").GetString());
            Assert.False(function.JsonSchema.GetProperty("additionalProperties").GetBoolean());
        });
    }

    [Fact]
    public async Task Constructor_CopiesTheOptions()
    {
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);
        var options = new BackgroundTaskToolsOptions();
        var tools = new BackgroundTaskTools(manager, "t1", "lead", options);
        options.Agents["late"] = new SubAgentDefinition("added after", (_, _) => Task.FromResult(TaskResult.Success(1)));

        var result = await tools.Functions[0].InvokeAsync(new(new Dictionary<string, object?> { ["agent"] = "late", ["task"] = "t" }));

        Assert.Equal("""{"error":"unknown_agent","agents":[]}""", Assert.IsType<System.Text.Json.JsonElement>(result).GetRawText());
    }

    [Fact]
    public async Task Constructor_BadArguments_Throw()
    {
        await using var manager = new BackgroundTaskManager();
        var options = new BackgroundTaskToolsOptions();

        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskTools(null!, "t1", "lead", options));
        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskTools(manager, null!, "lead", options));
        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskTools(manager, "t1", null!, options));
        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskTools(manager, "t1", "lead", null!));
        Assert.Throws<ArgumentException>(() => new BackgroundTaskTools(manager, "", "lead", options));
        Assert.Throws<ArgumentException>(() => new BackgroundTaskTools(manager, "t1", "", options));
    }

    [Theory]
    [InlineData("MaxWait0")]
    [InlineData("MaxWaitNegative")]
    [InlineData("MaxTextLength")]
    [InlineData("MaxTaskIds")]
    public async Task Constructor_LimitOutOfRange_ThrowsNamingIt(string which)
    {
        await using var manager = new BackgroundTaskManager();
        var options = which switch
        {
            "MaxWait0" => new BackgroundTaskToolsOptions { MaxWait = TimeSpan.Zero },
            "MaxWaitNegative" => new BackgroundTaskToolsOptions { MaxWait = TimeSpan.FromSeconds(-1) },
            "MaxTextLength" => new BackgroundTaskToolsOptions { MaxTextLength = 0 },
            _ => new BackgroundTaskToolsOptions { MaxTaskIds = -3 },
        };

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundTaskTools(manager, "t1", "lead", options));

        Assert.Contains(which.StartsWith("MaxWait", StringComparison.Ordinal) ? "MaxWait" : which, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_AgentWithoutBody_ThrowsNamingTheKind()
    {
        await using var manager = new BackgroundTaskManager();
        var options = new BackgroundTaskToolsOptions();
        options.Agents["broken"] = new SubAgentDefinition("no body", null!);

        var exception = Assert.Throws<ArgumentException>(() => new BackgroundTaskTools(manager, "t1", "lead", options));

        Assert.StartsWith(Messages.NullAgent("broken"), exception.Message, StringComparison.Ordinal);
    }
}
