using System.Text.Json;

namespace BackgroundTasks.Tests.Serialization;

public class BackgroundTaskStatusJsonConverterTests
{
    [Theory]
    [InlineData(BackgroundTaskStatus.Running, "\"running\"")]
    [InlineData(BackgroundTaskStatus.Completed, "\"completed\"")]
    [InlineData(BackgroundTaskStatus.Failed, "\"failed\"")]
    [InlineData(BackgroundTaskStatus.Cancelled, "\"cancelled\"")]
    [InlineData(BackgroundTaskStatus.Queued, "\"queued\"")]
    public void Serialize_EachStatus_WritesWireNameAndReadsItBack(BackgroundTaskStatus status, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(status));
        Assert.Equal(status, JsonSerializer.Deserialize<BackgroundTaskStatus>(json));
    }

    [Fact]
    public void Deserialize_UnknownName_ThrowsNamingValue()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BackgroundTaskStatus>("\"paused\""));

        Assert.Equal(Messages.UnknownStatus("paused"), ex.Message);
    }

    [Fact]
    public void Deserialize_Number_ThrowsSayingItMustBeAString()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BackgroundTaskStatus>("1"));

        Assert.Equal(Messages.StatusNotString(JsonValueKind.Number), ex.Message);
    }
}
