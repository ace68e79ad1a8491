using BackgroundTasks.AI.Tests.TestSupport;

namespace BackgroundTasks.AI.Tests;

public sealed class SendMessageFunctionTests
{
    [Theory]
    [InlineData("name")]
    [InlineData("id")]
    public async Task Send_ToALiveSubAgentByNameOrId_IsAccepted_AndTheAgentReceivesItFromTheToolsAgent(string by)
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A", "alpha");
        await harness.StartedAsync("survey topic A");

        var result = await harness.CallAsync("send_message", $$"""{"to": "{{(by == "name" ? "alpha" : taskId)}}", "message": "also cover 2024"}""");

        Assert.Equal($$"""{"status":"accepted","delivery":"live","task_id":"{{taskId}}"}""", result.GetRawText());
        Assert.Equal((taskId, ToolsHarness.Agent, "also cover 2024"), await harness.NextReceivedAsync());
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("bg_999")]
    [InlineData("other-name")]
    [InlineData("other-id")]
    public async Task Send_ToAnUnknownOrAnotherThreadsAgent_AnswersRecipientNotFound(string to)
    {
        await using var harness = ToolsHarness.Create();
        var other = await harness.SpawnOnOtherThreadAsync("secret work", "spy");
        var recipient = to switch { "other-name" => "spy", "other-id" => other, _ => to };

        var result = await harness.CallAsync("send_message", $$"""{"to": "{{recipient}}", "message": "hello"}""");

        Assert.Equal("""{"status":"failed","error":"recipient_not_found"}""", result.GetRawText());
    }

    [Theory]
    [InlineData("name")]
    [InlineData("id")]
    public async Task Send_ToAnEndedAgent_AnswersRecipientUnavailable(string by)
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A", "alpha");
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));

        var result = await harness.CallAsync("send_message", $$"""{"to": "{{(by == "name" ? "alpha" : taskId)}}", "message": "hello"}""");

        Assert.Equal("""{"status":"failed","error":"recipient_unavailable"}""", result.GetRawText());
    }

    [Fact]
    public async Task Send_ToATaskThatIsNotASubAgent_AnswersDeliveryNotSupported()
    {
        await using var harness = ToolsHarness.Create();
        await harness.SpawnPlainAsync("download", "fetcher");

        var result = await harness.CallAsync("send_message", """{"to": "fetcher", "message": "hello"}""");

        Assert.Equal("""{"status":"failed","error":"delivery_not_supported"}""", result.GetRawText());
    }
}
