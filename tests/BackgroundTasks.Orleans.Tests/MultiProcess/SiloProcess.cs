using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace BackgroundTasks.Orleans.Tests.MultiProcess;

/// <summary>
/// One BackgroundTasks.Orleans.SiloHost process on 127.0.0.1: started, awaited until its silo is up, and killed
/// (SIGKILL on Unix, as <c>kill -9</c>) by the test or when disposed.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private static readonly string s_siloHost = typeof(SiloProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloHostPath").Value!;

    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly StringBuilder _errors = new();

    private SiloProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>What the silo wrote on its standard error (Orleans' warnings and errors), for a failure message.</summary>
    public string Errors
    {
        get
        {
            lock (_lock)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts a silo of cluster <paramref name="clusterId"/> on free ports and returns once it is up.</summary>
    public static async Task<SiloProcess> StartAsync(string redis, string clusterId, TimeSpan guard)
    {
        Assert.True(File.Exists(s_siloHost), $"The silo host was not built at {s_siloHost}.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { s_siloHost, redis, clusterId, FreePort(), FreePort() })
        {
            start.ArgumentList.Add(argument);
        }

        var silo = new SiloProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        silo._process.OutputDataReceived += (_, line) => silo.OnOutput(line.Data);
        silo._process.ErrorDataReceived += (_, line) => silo.OnError(line.Data);
        silo._process.Exited += (_, _) => silo._ready.TrySetException(
            new InvalidOperationException($"The silo process exited before it was ready:\n{silo.Errors}"));
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        try
        {
            await silo._ready.Task.WaitAsync(guard);
        }
        catch
        {
            silo.Dispose();
            throw;
        }

        return silo;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown, no grain deactivation, nothing written.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is not null && line.StartsWith("ready ", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private void OnError(string? line)
    {
        lock (_lock)
        {
            _errors.AppendLine(line);
        }
    }

    /// <summary>A loopback port free now (the silo binds it a moment later; nothing else here takes ports at random).</summary>
    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
