namespace BackgroundTasks.Sqlite.Tests;

/// <summary>Guards the "Durable store" names in shared/API.md that live in this assembly.</summary>
public sealed class SqliteApiContractTests
{
    [Fact]
    public void SqliteTaskStatePersistence_IsThePromisedPublicType()
    {
        var type = typeof(SqliteTaskStatePersistence);

        Assert.True(type.IsPublic && type.IsSealed);
        Assert.Equal("BackgroundTasks.Sqlite", type.Namespace);
        Assert.Equal("BackgroundTasks.Sqlite", type.Assembly.GetName().Name);
        Assert.True(typeof(ITaskStatePersistence).IsAssignableFrom(type));
        Assert.NotNull(type.GetConstructor([typeof(string)]));
    }
}
