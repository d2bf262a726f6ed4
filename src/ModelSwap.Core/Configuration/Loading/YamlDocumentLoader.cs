using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>Parses YAML text into a node tree (with line numbers); a syntax error becomes one error.</summary>
internal static class YamlDocumentLoader
{
    public static YamlNode? Load(string yaml, DiagnosticBag diagnostics)
    {
        var scanner = new Scanner(new StringReader(yaml));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException ex)
        {
            // YamlDotNet prefixes its own "(Line: 3, Col: 1, …): " to messages; the line is ours to show.
            var message = ex.Message;
            var close = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0)
            {
                message = message[(close + 3)..];
            }
            diagnostics.Error((int)ex.Start.Line, "", $"invalid YAML: {message}");
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or InsufficientExecutionStackException)
        {
            // YamlDotNet fails this way on some malformed input (an unclosed flow collection, a
            // misplaced anchor); its scanner still knows where it was.
            diagnostics.Error((int)scanner.CurrentPosition.Line, "",
                "invalid YAML: cannot be read from here on (is a '[' or '{' left unclosed, or an anchor misplaced?)");
            return null;
        }
        if (stream.Documents.Count == 0 || NodeReader.IsNull(stream.Documents[0].RootNode))
        {
            diagnostics.Error(0, "", "the file is empty; a config needs at least a 'models:' section");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            diagnostics.Warning(DiagnosticBag.LineOf(stream.Documents[1].RootNode), "",
                "only the first YAML document is read; the documents after '---' are ignored");
        }
        var root = stream.Documents[0].RootNode;
        return YamlGraphGuard.IsSafe(root, diagnostics) ? root : null;
    }
}
