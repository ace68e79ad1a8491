using System.Text.Json;
using static BackgroundTasks.Tests.Tasks.TaskSamples;

namespace BackgroundTasks.Tests.Tasks;

/// <summary>
/// Pins what a summary keeps and what record equality, hashing, <c>with</c> and <c>ToString</c> do, whatever the
/// summary's storage: each property reads back exactly what was set, and equality is the synthesized record
/// equality (each property with <see cref="EqualityComparer{T}.Default"/>).
/// </summary>
public class TaskSummaryEqualityTests
{
    private static readonly TimeSpan Plus5 = TimeSpan.FromHours(5);

    /// <summary>One change to each property of <see cref="Everything"/>, and the name of the property it changes.</summary>
    public static TheoryData<string, Func<TaskSummary, TaskSummary>> OneChange => new()
    {
        { "TaskId", s => s with { TaskId = "bg_9" } },
        { "OwnerThreadId", s => s with { OwnerThreadId = "t9" } },
        { "TaskType", s => s with { TaskType = "sub_agent" } },
        { "Name", s => s with { Name = null } },
        { "Description", s => s with { Description = "other" } },
        { "Status", s => s with { Status = BackgroundTaskStatus.Failed } },
        { "Error", s => s with { Error = null } },
        { "Result", s => s with { Result = null } },
        { "Result content", s => s with { Result = Json("""{"files":[1,2],"ok":true}""") } },
        { "CreatedAt", s => s with { CreatedAt = s.CreatedAt.AddTicks(1) } },
        { "CompletedAt", s => s with { CompletedAt = s.CompletedAt!.Value.AddTicks(1) } },
        { "CompletedAt null", s => s with { CompletedAt = null } },
        { "ParentContext", s => s with { ParentContext = TaskParentContext.None } },
        { "StartedAt", s => s with { StartedAt = s.StartedAt!.Value.AddTicks(-1) } },
        { "StartedAt null", s => s with { StartedAt = null } },
        { "Attempt", s => s with { Attempt = 2 } },
        { "Progress", s => s with { Progress = new TaskProgress(0.5, "other") } },
        { "Progress null", s => s with { Progress = null } },
    };

    [Theory]
    [MemberData(nameof(OneChange))]
    public void Equals_OnePropertyDiffers_NotEqual(string property, Func<TaskSummary, TaskSummary> change)
    {
        TaskSummary summary = Everything();

        TaskSummary changed = change(summary);

        Assert.False(summary.Equals(changed), property);
        Assert.False(changed.Equals(summary), property);
        Assert.True(summary != changed, property);
    }

    [Fact]
    public void Equals_SameValues_EqualWithTheSameHash()
    {
        TaskSummary summary = Everything();
        TaskSummary copy = summary with { };

        Assert.NotSame(summary, copy);
        Assert.Equal(summary, copy);
        Assert.True(summary == copy);
        Assert.True(summary.Equals((object)copy));
        Assert.Equal(summary.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public void Equals_NullOrOtherType_NotEqual()
    {
        TaskSummary summary = Everything();

        Assert.False(summary.Equals(null));
        Assert.False(summary.Equals((object?)null));
        Assert.False(summary.Equals("bg_3"));
        Assert.True(summary != null);
    }

    [Fact]
    public void Equals_TimesAtTheSameInstantWithOtherOffsets_EqualWithTheSameHash()
    {
        TaskSummary summary = Everything();

        TaskSummary shifted = summary with
        {
            CreatedAt = summary.CreatedAt.ToOffset(Plus5),
            CompletedAt = summary.CompletedAt!.Value.ToOffset(-Plus5),
            StartedAt = summary.StartedAt!.Value.ToOffset(TimeSpan.FromMinutes(-30)),
        };

        Assert.Equal(summary, shifted);
        Assert.Equal(summary.GetHashCode(), shifted.GetHashCode());
    }

    [Fact]
    public void Times_ReadBackWithTheOffsetTheyWereSetWith()
    {
        DateTimeOffset created = Created.ToOffset(Plus5);
        DateTimeOffset completed = Completed.ToOffset(TimeSpan.FromMinutes(-570));
        DateTimeOffset started = Created.AddTicks(7).ToOffset(TimeSpan.FromMinutes(45));

        TaskSummary summary = Minimal() with { CreatedAt = created, CompletedAt = completed, StartedAt = started };

        Assert.True(created.EqualsExact(summary.CreatedAt));
        Assert.True(completed.EqualsExact(summary.CompletedAt!.Value));
        Assert.True(started.EqualsExact(summary.StartedAt!.Value));
    }

    public static TheoryData<DateTimeOffset> ExtremeTimes => new()
    {
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(DateTime.MinValue.AddHours(14), TimeSpan.FromHours(14)),
        new DateTimeOffset(DateTime.MaxValue.AddHours(-14), TimeSpan.FromHours(-14)),
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromMinutes(345)).AddTicks(1),
    };

    [Theory]
    [MemberData(nameof(ExtremeTimes))]
    public void Times_ExtremeValues_ReadBackExactly(DateTimeOffset time)
    {
        TaskSummary summary = Minimal() with { CreatedAt = time, CompletedAt = time, StartedAt = time };

        Assert.True(time.EqualsExact(summary.CreatedAt));
        Assert.True(time.EqualsExact(summary.CompletedAt!.Value));
        Assert.True(time.EqualsExact(summary.StartedAt!.Value));
    }

    [Fact]
    public void Times_DefaultTimeAndNull_AreDifferent()
    {
        TaskSummary unset = Minimal();
        TaskSummary atDefault = unset with { CompletedAt = default(DateTimeOffset), StartedAt = default(DateTimeOffset) };

        Assert.Null(unset.CompletedAt);
        Assert.Null(unset.StartedAt);
        Assert.Equal(default(DateTimeOffset), atDefault.CompletedAt);
        Assert.Equal(default(DateTimeOffset), atDefault.StartedAt);
        Assert.NotEqual(unset, atDefault);
        Assert.Equal(unset, atDefault with { CompletedAt = null, StartedAt = null });
    }

    [Fact]
    public void Result_NullAndDefaultElement_AreDifferent()
    {
        TaskSummary none = Minimal();
        TaskSummary undefined = none with { Result = default(JsonElement) };

        Assert.Null(none.Result);
        Assert.Equal(JsonValueKind.Undefined, undefined.Result!.Value.ValueKind);
        Assert.NotEqual(none, undefined);
        Assert.Equal(undefined, none with { Result = default(JsonElement) });
        Assert.Equal(undefined.GetHashCode(), (none with { Result = default(JsonElement) }).GetHashCode());
    }

    [Fact]
    public void Result_SameElement_EqualButSameJsonInAnotherDocument_NotEqual()
    {
        JsonElement result = Json("""{"a":[1,2]}""");
        TaskSummary summary = Minimal() with { Result = result };

        Assert.Equal(summary, Minimal() with { Result = result });
        Assert.Equal(summary.GetHashCode(), (Minimal() with { Result = result }).GetHashCode());
        Assert.NotEqual(summary, Minimal() with { Result = Json("""{"a":[1,2]}""") });
    }

    [Fact]
    public void Result_ElementInsideADocument_ReadsBackTheSameElement()
    {
        using JsonDocument document = JsonDocument.Parse("""{"a":[1,2],"b":"x"}""");
        JsonElement inner = document.RootElement.GetProperty("b");

        TaskSummary summary = Minimal() with { Result = inner };

        Assert.Equal("x", summary.Result!.Value.GetString());
        Assert.Equal(summary, Minimal() with { Result = document.RootElement.GetProperty("b") });
        Assert.NotEqual(summary, Minimal() with { Result = document.RootElement.GetProperty("a") });
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Attempt_AnyValue_ReadsBack(int attempt) =>
        Assert.Equal(attempt, (Minimal() with { Attempt = attempt }).Attempt);

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(300)]
    [InlineData(int.MaxValue)]
    public void Status_UndefinedValue_ReadsBackAndCompares(int value)
    {
        var status = (BackgroundTaskStatus)value;

        TaskSummary summary = Minimal() with { Status = status };

        Assert.Equal(status, summary.Status);
        Assert.NotEqual(Minimal(), summary);
        Assert.Equal(summary, Minimal() with { Status = status });
    }

    [Fact]
    public void With_ChangesOnlyTheNamedProperty()
    {
        TaskSummary summary = Everything();

        TaskSummary changed = summary with { Attempt = 9 };

        Assert.Equal(9, changed.Attempt);
        Assert.Equal(summary, changed with { Attempt = summary.Attempt });
        Assert.True(summary.StartedAt!.Value.EqualsExact(changed.StartedAt!.Value));
        Assert.True(summary.CompletedAt!.Value.EqualsExact(changed.CompletedAt!.Value));
        Assert.Equal(summary.Result!.Value.GetRawText(), changed.Result!.Value.GetRawText());
    }

    [Fact]
    public void ToString_PrintsEveryPropertyInDeclarationOrder()
    {
        TaskSummary s = Everything();

        Assert.Equal(
            $"TaskSummary {{ TaskId = {s.TaskId}, OwnerThreadId = {s.OwnerThreadId}, TaskType = {s.TaskType}, Name = {s.Name}, "
            + $"Description = {s.Description}, Status = {s.Status}, Error = {s.Error}, Result = {s.Result}, CreatedAt = {s.CreatedAt}, "
            + $"CompletedAt = {s.CompletedAt}, ParentContext = {s.ParentContext}, StartedAt = {s.StartedAt}, Attempt = {s.Attempt}, "
            + $"Progress = {s.Progress} }}",
            s.ToString());
    }

    [Fact]
    public void ToString_UnsetOptionalProperties_PrintsNothingForThem()
    {
        TaskSummary s = Minimal();

        Assert.Equal(
            $"TaskSummary {{ TaskId = bg_0, OwnerThreadId = t1, TaskType = shell, Name = , Description = d, Status = Running, "
            + $"Error = , Result = , CreatedAt = {s.CreatedAt}, CompletedAt = , ParentContext = {TaskParentContext.None}, "
            + "StartedAt = , Attempt = 0, Progress =  }",
            s.ToString());
    }

    /// <summary>A retried, completed task with every property set and times at three different offsets.</summary>
    private static TaskSummary Everything() => Full() with
    {
        CreatedAt = Created.ToOffset(TimeSpan.FromHours(2)),
        StartedAt = Created.AddTicks(12_345).ToOffset(TimeSpan.FromMinutes(-150)),
        CompletedAt = Completed.ToOffset(TimeSpan.FromHours(14)),
        Attempt = 3,
        Progress = new TaskProgress(1, "done"),
    };
}
