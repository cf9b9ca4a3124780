namespace TrackingProfiler.Profiler.Tracking;

/// <summary>A closed interval on one thread: exactly <see cref="Bytes"/> allocated in <see cref="GroupId"/>, ending at <see cref="TimestampMs"/>.</summary>
public readonly record struct ExactBytesInterval(int GroupId, int ThreadId, long Bytes, double TimestampMs);
