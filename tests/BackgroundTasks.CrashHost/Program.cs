using System.Globalization;
using BackgroundTasks;
using BackgroundTasks.Sqlite;

// Usage: BackgroundTasks.CrashHost <database path>
// Spawns tasks into the database without end, many at a time, and reports on stdout:
//   "ready"                      once the store is open (and holds the database lock)
//   "spawned bg_N"               each time a SpawnAsync has returned (the Running record is durable)
//   "finished bg_N <result>"     each time WaitAsync has returned a terminal record (it is durable)
//   "observed bg_N <status>"     each time a Connect observer of the store has seen a terminal record (it must
//                                be durable by then too: a crash must not take back what an observer showed)
// Every third task ("forever") never ends, so it must come back as an orphan after a crash. The others
// ("quick") end with the result "done-bg_N". The parent kills this process at a moment of its choosing.
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: BackgroundTasks.CrashHost <database path>");
    return 2;
}

var store = await TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(args[0]));
var manager = new BackgroundTaskManager(store);

// Console.Out flushes every line, so a line printed before the kill reaches the parent.
using var observer = store.Tasks.Connect().Subscribe(changes =>
{
    foreach (var change in changes)
    {
        if (change.Current.Status.IsTerminal())
        {
            Console.WriteLine($"observed {change.Key} {change.Current.Status}");
        }
    }
});
Console.WriteLine("ready");

const int InFlight = 32;
var workers = Enumerable.Range(0, InFlight).Select(worker => Task.Run(async () =>
{
    for (var i = worker; ; i += InFlight)
    {
        var forever = i % 3 == 0;
        var id = await manager.SpawnAsync("t1", forever ? "forever" : "quick", null, i.ToString(CultureInfo.InvariantCulture),
            TaskParentContext.None, async context =>
            {
                if (forever)
                {
                    await context.WhenCancelled();
                    return TaskResult.Cancelled;
                }

                await Task.Yield();
                return TaskResult.Success("done-" + context.TaskId);
            });
        Console.WriteLine("spawned " + id);
        if (!forever)
        {
            var summary = await manager.WaitAsync(id);
            Console.WriteLine($"finished {id} {summary.Result?.GetString()}");
        }
    }
})).ToArray();

await Task.WhenAll(workers);
return 0;
