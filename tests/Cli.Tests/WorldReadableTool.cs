namespace TrackingProfiler.Cli.Tests;

/// <summary>
/// A copy of the built tool that any user can read: tests that run it as another user cannot rely on the checkout's
/// own directories being readable (a clone under a 0700 folder from mktemp is not).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class WorldReadableTool : IDisposable
{
    private const UnixFileMode Directories = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Files = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _directory;

    public WorldReadableTool()
    {
        string source = Path.GetDirectoryName(Tool.Dll)!;
        _directory = Path.Combine(Path.GetTempPath(), "alloctrack-tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory, Directories);
        foreach (string file in Directory.GetFiles(source))
        {
            string copy = Path.Combine(_directory, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, Files);
        }

        Dll = Path.Combine(_directory, Path.GetFileName(Tool.Dll));
    }

    /// <summary>The copy's tool dll.</summary>
    public string Dll { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
