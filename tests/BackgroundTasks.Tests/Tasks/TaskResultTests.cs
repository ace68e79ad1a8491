using System.Text.Json;

namespace BackgroundTasks.Tests.Tasks;

public class TaskResultTests
{
    [Fact]
    public void Success_JsonElement_CompletedWithValue()
    {
        TaskResult result = TaskResult.Success(TaskSamples.Json("""{"a":1}"""));

        Assert.Equal(BackgroundTaskStatus.Completed, result.Status);
        Assert.Equal("""{"a":1}""", result.Value!.Value.GetRawText());
        Assert.Null(result.Error);
    }

    [Fact]
    public void Success_JsonElementFromDisposedDocument_ValueStillReadable()
    {
        TaskResult result;
        using (JsonDocument document = JsonDocument.Parse("""{"a":[1,2]}"""))
        {
            result = TaskResult.Success(document.RootElement);
        }

        Assert.Equal("""{"a":[1,2]}""", result.Value!.Value.GetRawText());
    }

    [Fact]
    public void Success_DefaultJsonElement_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => TaskResult.Success(default(JsonElement)));

        Assert.Equal("value", ex.ParamName);
        Assert.StartsWith(Messages.ResultValueUndefined, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SuccessOfT_Object_SerializedWithSystemTextJson()
    {
        TaskResult result = TaskResult.Success(new { Name = "x", Count = 3 });

        Assert.Equal(BackgroundTaskStatus.Completed, result.Status);
        Assert.Equal("""{"Name":"x","Count":3}""", result.Value!.Value.GetRawText());
        Assert.Null(result.Error);
    }

    [Fact]
    public void SuccessOfT_Primitive_SerializedAsJsonValue()
    {
        Assert.Equal(JsonValueKind.Number, TaskResult.Success(42).Value!.Value.ValueKind);
        Assert.Equal("hi", TaskResult.Success("hi").Value!.Value.GetString());
    }

    [Fact]
    public void SuccessOfT_Null_ValueIsJsonNull()
    {
        TaskResult result = TaskResult.Success<string?>(null);

        Assert.Equal(JsonValueKind.Null, result.Value!.Value.ValueKind);
    }

    [Fact]
    public void Failed_Message_FailedWithError()
    {
        TaskResult result = TaskResult.Failed("boom");

        Assert.Equal(BackgroundTaskStatus.Failed, result.Status);
        Assert.Equal("boom", result.Error);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Failed_Null_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => TaskResult.Failed(null!));

        Assert.Equal("error", ex.ParamName);
    }

    [Fact]
    public void Cancelled_Read_CancelledWithoutValueOrError()
    {
        TaskResult result = TaskResult.Cancelled;

        Assert.Equal(BackgroundTaskStatus.Cancelled, result.Status);
        Assert.Null(result.Value);
        Assert.Null(result.Error);
        Assert.Same(TaskResult.Cancelled, TaskResult.Cancelled);
    }
}
