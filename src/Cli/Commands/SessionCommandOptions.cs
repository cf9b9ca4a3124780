using System.CommandLine;
using TrackingProfiler.Profiler.Replay;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>The options of every tracing command (attach, run): how to trace, and where the report goes.</summary>
internal sealed class SessionCommandOptions
{
    private readonly Option<ReportFormat?> _format = CommonOptions.Format();
    private readonly Option<FileInfo?> _output = CommonOptions.Output();
    private readonly Option<SamplingMode> _sampling = CommonOptions.Sampling();
    private readonly Option<int> _bufferSize = CommonOptions.BufferSize();
    private readonly Option<bool> _trackFrees = CommonOptions.TrackFrees();
    private readonly Option<bool> _stacks = CommonOptions.Stacks();
    private readonly Option<FileInfo?> _saveTrace = CommonOptions.SaveTrace();
    private readonly Option<GroupByOption.Value> _groupBy = GroupByOption.Create();

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _format, _output, _sampling, _bufferSize, _trackFrees, _stacks, _saveTrace, _groupBy })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The session options; fails with OutputFailed before anything starts when --save-trace cannot be written.</summary>
    public SessionOptions Session(ParseResult parse)
    {
        string? saveTrace = parse.GetValue(_saveTrace)?.FullName;
        if (saveTrace is not null)
        {
            RecordingStream.CheckDestination(saveTrace);
        }

        var options = new SessionOptions
        {
            Sampling = parse.GetValue(_sampling),
            BufferSizeMB = parse.GetValue(_bufferSize),
            TrackFrees = parse.GetValue(_trackFrees),
            Stacks = parse.GetValue(_stacks),
            SaveTracePath = saveTrace,
        };
        GroupByOption.Apply(parse, _groupBy, ref options);
        return options;
    }

    public FileInfo? Output(ParseResult parse) => parse.GetValue(_output);

    public ReportFormat Format(ParseResult parse) => CommonOptions.ResolveFormat(parse.GetValue(_format), parse.GetValue(_output));
}
