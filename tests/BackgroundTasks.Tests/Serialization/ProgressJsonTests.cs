using System.Text.Json;
using BackgroundTasks.Tests.Tasks;

namespace BackgroundTasks.Tests.Serialization;

public sealed class ProgressJsonTests
{
    public static TheoryData<string, double?, string?> Cases => new()
    {
        { ""","progress":{"fraction":0.5,"message":"half"}}""", 0.5, "half" },
        { ""","progress":{"fraction":1}}""", 1.0, null },
        { ""","progress":{"message":"thinking"}}""", null, "thinking" },
        { ""","progress":{}}""", null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Summary_WithProgress_WritesItLast_EachPartOmittedWhenNull_AndReadsItBack(string tail, double? fraction, string? message)
    {
        var summary = TaskSamples.Minimal("bg_0") with { Progress = new TaskProgress(fraction, message) };

        var json = JsonSerializer.Serialize(summary);

        Assert.EndsWith(tail, json, StringComparison.Ordinal);
        Assert.Equal(summary.Progress, JsonSerializer.Deserialize<TaskSummary>(json)!.Progress);
    }

    [Fact]
    public void Summary_WithoutProgress_OmitsIt() =>
        Assert.DoesNotContain("progress", JsonSerializer.Serialize(TaskSamples.Minimal("bg_0")), StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"fraction":1.5}""", "must be between 0 and 1, but it is 1.5")]
    [InlineData("""{"fraction":"half"}""", "must be a number")]
    [InlineData("\"half\"", "progress")]
    public void Summary_WithBadProgress_ThrowsNamingIt(string progress, string expected)
    {
        var json = JsonSerializer.Serialize(TaskSamples.Minimal("bg_0"))[..^1] + ",\"progress\":" + progress + "}";

        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskSummary>(json));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }
}
