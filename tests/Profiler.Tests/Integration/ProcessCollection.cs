using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Profiler.Tests.Integration;

/// <summary>
/// Tests that start real processes run one at a time, in this project and across the whole solution: the
/// collection holds the machine-wide <see cref="ProcessTestLock"/> while it runs, so the other test projects'
/// process tests (run by `dotnet test` in parallel processes) wait. Two cores are shared with the targets.
/// </summary>
[CollectionDefinition(ProcessTestLock.CollectionName, DisableParallelization = true)]
public sealed class ProcessCollection : ICollectionFixture<ProcessTestLock>
{
}
