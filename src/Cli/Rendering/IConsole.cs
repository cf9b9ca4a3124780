namespace TrackingProfiler.Cli.Rendering;

/// <summary>The terminal the CLI writes to; tests substitute one that records whole screens.</summary>
internal interface IConsole
{
    TextWriter Out { get; }

    TextWriter Error { get; }

    /// <summary>True when standard output is a terminal a person watches (live view), false when redirected.</summary>
    bool IsInteractive { get; }

    /// <summary>Replaces the visible screen with <paramref name="screen"/> (live view).</summary>
    void Redraw(string screen);
}
