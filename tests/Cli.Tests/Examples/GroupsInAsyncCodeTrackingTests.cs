using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Examples;

/// <summary>The GroupsInAsyncCode example run alone, as its README shows: in-process exact bytes, no profiler.</summary>
[Collection("processes")]
public class GroupsInAsyncCodeTrackingTests
{
    [Fact]
    public async Task GroupsInAsyncCode_PrintsEachGroupsExactBytes_WhenRunAlone()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(TargetProgram.LocateExample("GroupsInAsyncCode"));
        info.Environment.Remove("DOTNET_DiagnosticPorts");
        using var process = Process.Start(info)!;
        string output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);

        // After the requests: 100,000 bytes (100,024 with the array header) on the thread pool inside an awaited scope, plus the
        // Task.Run closure and the scope's fixed cost: a few hundred bytes, never less than the array.
        long parse = BytesOf(output, @"one more parse allocated ([\d,]+) B \(exact\)");
        Assert.InRange(parse, 100_024, 100_024 + 1024);

        // 50 requests × (64 KB + 32 K chars + 128 KB on the thread pool), plus small objects.
        long floor = 50L * ((64 * 1024) + (32 * 1024 * 2) + (128 * 1024));
        Assert.InRange(BytesOf(output, @"requests: ([\d,]+) B \(exact\)"), floor, floor * 1.01);
        Assert.True(BytesOf(output, @"requests/parse: ([\d,]+) B \(exact\)") > 0);
        Assert.True(BytesOf(output, @"logging: ([\d,]+) B \(exact\)") > 0);
    }

    private static long BytesOf(string output, string pattern)
    {
        var match = Regex.Match(output, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"no line matching {pattern} in:\n{output}");
        return long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }
}
