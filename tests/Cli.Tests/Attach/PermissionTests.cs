using System.Diagnostics;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Attach;

/// <summary>A <see cref="FactAttribute"/> that runs only as root on Linux with runuser: it starts the tool as another user.</summary>
public sealed class AsRootWithRunuserFactAttribute : FactAttribute
{
    public const string Runuser = "/usr/sbin/runuser";

    public AsRootWithRunuserFactAttribute()
    {
        bool root = OperatingSystem.IsLinux() && File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
        if (!root || !File.Exists(Runuser))
        {
            Skip = "needs root and runuser, to run the tool as another user than the target's";
        }
    }
}

[Collection("processes")]
public class PermissionTests
{
    [AsRootWithRunuserFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Attach_ExitsWithPermissionDenied_WhenTheTargetBelongsToAnotherUser()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();

        // The other user must be able to read the tool wherever this checkout lives: run a world-readable copy.
        string copy = CopyWorldReadable(Path.GetDirectoryName(typeof(CliApp).Assembly.Location)!);
        var info = new ProcessStartInfo(AsRootWithRunuserFactAttribute.Runuser) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-u", "nobody", "--", "dotnet", Path.Combine(copy, Path.GetFileName(typeof(CliApp).Assembly.Location)), "attach", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "1s" })
        {
            info.ArgumentList.Add(arg);
        }

        using var tool = Process.Start(info)!;
        string error = await tool.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await tool.WaitForExitAsync();

        Assert.Equal(ExitCodes.PermissionDenied, tool.ExitCode);
        Assert.StartsWith("dotnet-alloctrack: Permission denied", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Directory.Delete(copy, recursive: true);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string CopyWorldReadable(string source)
    {
        const UnixFileMode Directories = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        const UnixFileMode Files = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        string target = Path.Combine(Path.GetTempPath(), "alloctrack-permission-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target, Directories);
        foreach (string file in Directory.GetFiles(source))
        {
            string copy = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, Files);
        }

        return target;
    }
}
