using System.CommandLine;
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
    private readonly Option<GroupByOption.Value> _groupBy = GroupByOption.Create();

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _format, _output, _sampling, _bufferSize, _trackFrees, _stacks, _groupBy })
        {
            command.Options.Add(option);
        }
    }

    public SessionOptions Session(ParseResult parse)
    {
        var options = new SessionOptions
        {
            Sampling = parse.GetValue(_sampling),
            BufferSizeMB = parse.GetValue(_bufferSize),
            TrackFrees = parse.GetValue(_trackFrees),
            Stacks = parse.GetValue(_stacks),
        };
        GroupByOption.Apply(parse, _groupBy, ref options);
        return options;
    }

    public FileInfo? Output(ParseResult parse) => parse.GetValue(_output);

    public ReportFormat Format(ParseResult parse) => CommonOptions.ResolveFormat(parse.GetValue(_format), parse.GetValue(_output));
}
