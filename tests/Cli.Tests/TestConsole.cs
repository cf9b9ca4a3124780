using TrackingProfiler.Cli.Rendering;

namespace TrackingProfiler.Cli.Tests;

/// <summary>Records what the CLI writes, and every live-view screen, for whole-output assertions.</summary>
internal sealed class TestConsole(bool interactive = false) : IConsole
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public TextWriter Out => _out;

    public TextWriter Error => _error;

    public bool IsInteractive { get; } = interactive;

    public List<string> Screens { get; } = [];

    public string OutText => _out.ToString();

    public string ErrorText => _error.ToString();

    public void Redraw(string screen)
    {
        lock (Screens)
        {
            Screens.Add(screen);
        }
    }
}
