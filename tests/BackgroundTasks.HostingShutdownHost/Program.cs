using BackgroundTasks;
using BackgroundTasks.Hosting;
using BackgroundTasks.HostingShutdownHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: BackgroundTasks.HostingShutdownHost <database path> <run|dispose>
// A generic host as a new user writes one: Host.CreateApplicationBuilder, AddBackgroundTasks with a SQLite store,
// a 2-second ShutdownTimeout, and a hosted service that spawns one task whose body ignores cancellation for ever.
// "run" ends with `await host.RunAsync()`; "dispose" with WaitForShutdownAsync and then a synchronous host.Dispose().
// Reports on stdout, one line each:
//   "started bg_N"                        once the stubborn body runs (the parent sends SIGTERM then)
//   "log <Level> <EventName> <message>"   every log event, written synchronously (LineLoggerProvider)
//   "run returned" / "disposed"           when Main got past the host
if (args.Length != 2 || args[1] is not ("run" or "dispose"))
{
    await Console.Error.WriteLineAsync("usage: BackgroundTasks.HostingShutdownHost <database path> <run|dispose>");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddProvider(new LineLoggerProvider());
builder.Logging.SetMinimumLevel(LogLevel.Debug);
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
builder.Services.AddBackgroundTasks(options =>
{
    options.Store = BackgroundTaskStoreKind.Sqlite;
    options.SqlitePath = args[0];
});
builder.Services.AddHostedService<StubbornTaskSpawner>();

var host = builder.Build();
if (args[1] == "run")
{
    await host.RunAsync();
    Console.WriteLine("run returned");
}
else
{
    await host.StartAsync();
    await host.WaitForShutdownAsync();
    host.Dispose();
    Console.WriteLine("disposed");
}

return 0;
