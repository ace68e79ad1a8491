namespace BackgroundTasks.Sqlite.Tests;

/// <summary>A fresh folder for one test's database files, deleted with the test.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bgtasks-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Path = System.IO.Path.Combine(Folder, "tasks.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public SqliteTaskStatePersistence Persistence() => new(Path);

    public Task<TaskStateStore> OpenAsync(TaskStateStoreOptions? options = null) => TaskStateStore.OpenAsync(Persistence(), options);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A child process killed a moment ago may still be closing its files; the OS temp folder is cleaned anyway.
        }
    }
}
