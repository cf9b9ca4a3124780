using System.Diagnostics;

namespace TrackingProfiler.TestSupport;

/// <summary>
/// A machine-wide lock held by the "processes" collection of every test project while its tests run.
/// <c>dotnet test TrackingProfiler.sln</c> runs the test projects in parallel, each in its own process; xunit's
/// collections serialise only inside one of them. Process-starting tests of different projects would then share two
/// cores with each other's targets and time out or lose events. An exclusive file lock (FileShare.None is an
/// advisory <c>flock</c> on Unix, released by the kernel if the holder dies) serialises them across processes.
/// </summary>
/// <remarks>
/// Used as an xunit collection fixture: <c>[CollectionDefinition("processes", DisableParallelization = true)]</c>
/// on a class implementing <c>ICollectionFixture&lt;ProcessTestLock&gt;</c>. xunit creates it when the collection
/// starts and disposes it when the collection ends, so one project's process tests run back to back and the other
/// projects' wait. Tests outside any "processes" collection do not take it.
/// </remarks>
public sealed class ProcessTestLock : IDisposable
{
    /// <summary>The collection name every test project uses for its process-starting tests.</summary>
    public const string CollectionName = "processes";

    /// <summary>How long a project waits for the others' process tests before failing with a clear message.</summary>
    private static readonly TimeSpan s_wait = TimeSpan.FromMinutes(20);

    private readonly FileStream _lock;

    public ProcessTestLock()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _lock = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another test process holds it (or, in a shared /tmp, another user's file): poll; the kernel frees
                // it the moment the holder ends.
                if (clock.Elapsed > s_wait)
                {
                    throw new TimeoutException($"Another test run held {LockPath} for {s_wait.TotalMinutes} minutes.", e);
                }

                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The lock file: one per machine (the temp dir), so the process tests of every test project and checkout serialise.</summary>
    public static string LockPath => Path.Combine(Path.GetTempPath(), "trackingprofiler-process-tests.lock");

    public void Dispose() => _lock.Dispose();
}
