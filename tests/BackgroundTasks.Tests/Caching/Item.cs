namespace BackgroundTasks.Tests.Caching;

/// <summary>An immutable cached item for the tests.</summary>
internal sealed record Item(string Key, int Value);
