namespace TrackingProfiler.Profiler.Reports;

/// <summary>What a path names, following symbolic links: decides whether a file may be replaced by a rename.</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,

    /// <summary>Exists, but this platform cannot tell more (not Linux): treated as a regular file.</summary>
    Unknown,
}
