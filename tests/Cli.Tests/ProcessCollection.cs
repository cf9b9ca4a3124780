namespace TrackingProfiler.Cli.Tests;

/// <summary>Tests that start real processes run one at a time: two cores are shared with the targets.</summary>
[CollectionDefinition("processes", DisableParallelization = true)]
public sealed class ProcessCollection
{
}
