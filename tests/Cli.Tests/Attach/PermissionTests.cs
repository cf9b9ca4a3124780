using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Attach;

/// <summary>
/// A <see cref="FactAttribute"/> that runs only as root on Linux: the test starts the tool as another user, which only
/// root can do without a password. Everywhere else it is skipped, saying why.
/// </summary>
public sealed class AsRootFactAttribute : FactAttribute
{
    public AsRootFactAttribute()
    {
        bool root = OperatingSystem.IsLinux() && File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
        if (!root || !File.Exists(OtherUser.Runuser))
        {
            Skip = "needs root (and runuser) to run the tool as another user than the target's";
        }
    }
}

/// <summary>
/// A user other than the test's, able to run dotnet: <c>nobody</c> when it exists, else a user created for the test
/// and deleted after it.
/// </summary>
internal sealed class OtherUser : IDisposable
{
    public const string Runuser = "/usr/sbin/runuser";
    private readonly bool _created;

    private OtherUser(string name, bool created)
    {
        Name = name;
        _created = created;
    }

    public string Name { get; }

    public static async Task<OtherUser> CreateAsync()
    {
        if (await RunAsync("id", "-u", "nobody") == 0)
        {
            return new OtherUser("nobody", created: false);
        }

        string name = "alloctrack" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, await RunAsync("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
        return new OtherUser(name, created: true);
    }

    /// <summary>Whether the user can start dotnet at all (it cannot when dotnet lives under /root, say).</summary>
    public async Task<bool> CanRunDotnetAsync() => await RunAsync(Runuser, "-u", Name, "--", "dotnet", "--list-runtimes") == 0;

    public void Dispose()
    {
        if (_created)
        {
            RunAsync("userdel", Name).GetAwaiter().GetResult();
        }
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync(), process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(60));
        return process.ExitCode;
    }
}

[Collection("processes")]
public class PermissionTests
{
    [AsRootFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Attach_ExitsWithPermissionDenied_WhenTheTargetBelongsToAnotherUser()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();
        using var user = await OtherUser.CreateAsync();
        Assert.True(await user.CanRunDotnetAsync(), $"user {user.Name} cannot run dotnet (is it installed under a private directory such as /root?): exit code 5 cannot be tested here");

        // The other user must be able to read the tool wherever this checkout lives: run a world-readable copy.
        using var copy = new WorldReadableTool();
        using var tool = await Tool.RunAsync(
            ["attach", target.Id.ToString(CultureInfo.InvariantCulture), "--duration", "1s"],
            environment: null,
            user: user.Name,
            dll: copy.Dll);

        Assert.True(tool.ExitCode == ExitCodes.PermissionDenied, $"exit code {tool.ExitCode}; stderr: {tool.ErrorText}");
        string line = Assert.Single(tool.ErrorLines);
        Assert.StartsWith("dotnet-alloctrack: Permission denied", line, StringComparison.Ordinal);
        Assert.False(target.HasExited);
    }
}
