using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TrackingProfiler.Benchmarks;

/// <summary>The ASP.NET Core apps the request runs load.</summary>
internal enum AspNetApp
{
    /// <summary>examples/AspNetActivities: references the Grouping library, makes groups from Activities.</summary>
    ActivitiesExample,

    /// <summary>tests/Targets/RequestsTarget: references nothing of this project.</summary>
    RequestsTarget,
}

/// <summary>A fresh ASP.NET Core app on 127.0.0.1, started from its build output, ended (process tree) on dispose.</summary>
internal sealed class AspNetTargetProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AspNetTargetProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public int Id => _process.Id;

    public Uri BaseAddress { get; }

    public static async Task<AspNetTargetProcess> StartAsync(AspNetApp app)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Locate(app));
        if (app == AspNetApp.RequestsTarget)
        {
            // Listens on an ephemeral port, prints "LISTENING <url>" then "READY", and runs until stdin closes.
            var process = Process.Start(info)!;
            string url = string.Empty;
            while (await process.StandardOutput.ReadLineAsync() is { } line && line != "READY")
            {
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                {
                    url = line["LISTENING ".Length..];
                }
            }

            return new AspNetTargetProcess(process, new Uri(url));
        }

        // The example listens where its argument says and prints nothing at its log level: ready when it answers.
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        info.ArgumentList.Add(address.ToString().TrimEnd('/'));
        var example = Process.Start(info)!;
        example.OutputDataReceived += (_, _) => { };
        example.BeginOutputReadLine();
        var target = new AspNetTargetProcess(example, address);
        using var probe = new HttpClient { BaseAddress = address };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await probe.GetAsync("/");
                return target; // any status: Kestrel is up
            }
            catch (HttpRequestException) when (!example.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }
            catch
            {
                await target.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>A port free a moment ago (the example takes its address as an argument).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Locate(AspNetApp app)
    {
        string project = app == AspNetApp.RequestsTarget ? Path.Combine("tests", "Targets", "RequestsTarget") : Path.Combine("examples", "AspNetActivities");
        string dll = app == AspNetApp.RequestsTarget ? "RequestsTarget.dll" : "AspNetActivities.dll";
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            foreach (string configuration in new[] { "Release", "Debug" })
            {
                string candidate = Path.Combine(dir, project, "bin", configuration, "net10.0", dll);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"{project} is not built (dotnet build -c Release bench/Profiler.Benchmarks builds it).");
    }
}
