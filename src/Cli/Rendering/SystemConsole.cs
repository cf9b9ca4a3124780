namespace TrackingProfiler.Cli.Rendering;

internal sealed class SystemConsole : IConsole
{
    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;

    public bool IsInteractive => !Console.IsOutputRedirected;

    public void Redraw(string screen)
    {
        // Cursor home, then clear to the end: one write per frame, no flicker from a full clear first.
        Console.Out.Write("\u001b[H" + screen.Replace("\n", "\u001b[K\n", StringComparison.Ordinal) + "\u001b[J");
        Console.Out.Flush();
    }
}
