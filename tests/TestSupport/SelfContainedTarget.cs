using System.Diagnostics;
using System.Text.Json;

namespace TrackingProfiler.TestSupport;

/// <summary>
/// A target under tests/Targets built self-contained for an older runtime (net8.0, net9.0) by the solution build: an
/// apphost with its own runtime (and ASP.NET Core, for RequestsTarget), no shared framework. RuntimesTarget measures its
/// own ground truth and writes it to a file; RequestsTarget serves it (GET /truth), see <see cref="TargetProgram"/>.
/// </summary>
public static class SelfContainedTarget
{
    /// <summary>The apphost of target <paramref name="name"/> for <paramref name="targetFramework"/>, found by walking up from the test assembly.</summary>
    public static string Locate(string targetFramework, string name = "RuntimesTarget")
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            foreach (string configuration in new[] { "Debug", "Release" })
            {
                string framework = Path.Combine(dir, "tests", "Targets", name, "bin", configuration, targetFramework);
                if (Directory.Exists(framework))
                {
                    foreach (string rid in Directory.EnumerateDirectories(framework))
                    {
                        string apphost = Path.Combine(rid, OperatingSystem.IsWindows() ? name + ".exe" : name);
                        if (File.Exists(apphost))
                        {
                            return apphost;
                        }
                    }
                }
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new FileNotFoundException($"tests/Targets/{name} ({targetFramework}) is not built: run 'dotnet build TrackingProfiler.sln'.");
    }

    /// <summary>Reads the truth file the target wrote: bytes per group, and the runtime's major version.</summary>
    public static Dictionary<string, long> ReadTruth(string file) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(file))!;

    /// <summary>Starts the target in `wait` mode (READY, then waits for a line) and returns once it printed READY.</summary>
    public static async Task<Process> StartWaitingAsync(string targetFramework, string truthFile)
    {
        var info = new ProcessStartInfo(Locate(targetFramework)) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("wait");
        info.ArgumentList.Add(truthFile);
        info.Environment.Remove("DOTNET_DiagnosticPorts");
        info.Environment.Remove("DOTNET_DefaultDiagnosticPortSuspend");
        var process = Process.Start(info)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "READY")
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return process;
    }
}
