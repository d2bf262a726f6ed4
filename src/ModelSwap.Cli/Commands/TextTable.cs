namespace ModelSwap.Cli.Commands;

/// <summary>
/// The one table style of every listing verb (as `ollama list` prints): upper-case headers, columns
/// padded to their widest cell and three spaces apart, "-" for an empty cell, no borders and no
/// colour, so a table reads the same in a terminal of any width, in a pipe and in a file.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private const string Gap = "   ";
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public TextTable Add(params string?[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row needs {headers.Length} cells, got {cells.Length}.", nameof(cells));
        }
        _rows.Add([.. cells.Select(c => string.IsNullOrEmpty(c) ? "-" : c.ReplaceLineEndings(" "))]);
        return this;
    }

    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = _rows.Prepend(headers).ToList();
        var widths = Enumerable.Range(0, headers.Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        foreach (var line in lines)
        {
            // The last column is not padded: no trailing blanks.
            output.WriteLine(string.Join(Gap, line.Select((cell, c) => c == line.Length - 1 ? cell : cell.PadRight(widths[c]))));
        }
    }
}
