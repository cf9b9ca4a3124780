using System.Buffers.Binary;
using System.Text;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Tests.Session;

/// <summary>The pieces of the diagnostics protocol and command lines the tool reads itself.</summary>
public class DiagnosticsIpcTests
{
    [Fact]
    public void ParseProcessInfo2_ReadsTheRuntimeVersion_AsTheProtocolLaysItOut()
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(1234UL));
        payload.AddRange(Guid.NewGuid().ToByteArray());
        foreach (string text in new[] { "/app/MyApp --port 80", "Linux", "x64", "MyApp", "8.0.31+3b0e3a8" })
        {
            payload.AddRange(BitConverter.GetBytes((uint)(text.Length + 1)));
            payload.AddRange(Encoding.Unicode.GetBytes(text + "\0"));
        }

        var info = DiagnosticsIpc.ParseProcessInfo2(payload.ToArray());
        Assert.Equal(1234, info.ProcessId);
        Assert.Equal("/app/MyApp --port 80", info.CommandLine);
        Assert.Equal("MyApp", info.EntryAssembly);
        Assert.Equal("8.0.31", info.Version);
    }

    [Fact]
    public async Task ReadAdvertise_ReadsTheProcessId_AndRejectsAnythingElse()
    {
        byte[] advertise = new byte[8 + 16 + 8 + 2];
        "ADVR_V1\0"u8.CopyTo(advertise);
        BinaryPrimitives.WriteUInt64LittleEndian(advertise.AsSpan(24), 5678);
        Assert.Equal(5678, await DiagnosticsIpc.ReadAdvertiseAsync(new MemoryStream(advertise), CancellationToken.None));

        advertise[0] = (byte)'X';
        await Assert.ThrowsAsync<InvalidDataException>(() => DiagnosticsIpc.ReadAdvertiseAsync(new MemoryStream(advertise), CancellationToken.None));
    }

    [Fact]
    public void CommandLineSplit_KeepsArgumentsWithSpacesWhole()
    {
        Assert.Equal(["dotnet", "/my apps/My App.dll", "--name", ""], ProcessCommandLine.Split("dotnet\0/my apps/My App.dll\0--name\0\0"));
        Assert.Empty(ProcessCommandLine.Split(""));
    }

    [Theory]
    [InlineData("My App", true)]
    [InlineData("my app", true)]
    [InlineData("dotnet", true)]
    [InlineData("My", false)]
    [InlineData("apps/My", false)]
    public void IsNamed_MatchesTheAppOfAPathWithSpaces(string name, bool expected)
    {
        var process = new TargetProcess(1, "dotnet", null, null) { Arguments = ["/usr/bin/dotnet", "/my apps/My App.dll", "--flag"] };
        Assert.Equal(expected, process.IsNamed(name));
    }

    [Fact]
    public void CommandTree_TakesAProcessForAMember_ButNeverOneOfItsThreads()
    {
        // A variable of this process's initial environment plays the marker; /proc/<tid> of any of its threads shows
        // the same environment, so only the thread-group check tells them apart (a stale endpoint socket can carry a
        // pid that is now such a thread id).
        string first = File.ReadAllText("/proc/self/environ").Split('\0')[0];
        var tree = new CommandTree(first[..first.IndexOf('=', StringComparison.Ordinal)], first[(first.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        int threadId = Directory.EnumerateDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).First(t => t != Environment.ProcessId);

        Assert.True(File.Exists($"/proc/{threadId}/environ"));
        Assert.Equal(true, tree.Contains(Environment.ProcessId));
        Assert.Equal(false, tree.Contains(threadId));
    }

    [Fact]
    public void CommandLineRead_ReadsThisProcess()
    {
        var arguments = ProcessCommandLine.Read(Environment.ProcessId);
        Assert.NotEmpty(arguments);
        Assert.Empty(ProcessCommandLine.Read(0));
    }

    [Theory]
    [InlineData("/tmp/p.sock", "/tmp/p.sock", true)]
    [InlineData("/tmp/p.sock,listen", "/tmp/p.sock", true)]
    [InlineData("/tmp/p.sock,Connect", "/tmp/p.sock", false)]
    [InlineData("uds:/tmp/p.sock,connect", "/tmp/p.sock", false)]
    public void DiagnosticPortParse_FollowsDotnetTrace_ToolListensUnlessConnect(string value, string path, bool listens)
    {
        var port = DiagnosticPort.Parse(value);
        Assert.Equal(path, port.Path);
        Assert.Equal(listens, port.ToolListens);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",listen")]
    [InlineData("/tmp/p.sock,suspend")]
    [InlineData("/tmp/p.sock,listen,connect")]
    public void DiagnosticPortParse_IsAUsageError_WhenMalformed(string value) =>
        Assert.Equal(ProfilerErrorKind.Usage, Assert.Throws<ProfilerException>(() => DiagnosticPort.Parse(value)).Kind);
}
