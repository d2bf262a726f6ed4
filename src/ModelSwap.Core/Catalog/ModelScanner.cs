using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Catalog.Scanning;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// Finds the models in the models folders (and the bundled <c>models/</c> folder) by reading GGUF
/// headers only. Rules, in the order they apply:
/// <list type="number">
/// <item>Every <c>.gguf</c> file below a folder, recursively; links are followed, each real folder
/// once (no loops); names starting with a dot are skipped.</item>
/// <item>A file shorter than its header says its tensor data needs is <see cref="ScanResult.Pending"/>:
/// it may still be copying. A file exactly as long as its header describes is complete and served at
/// once; any other file written to within <see cref="ModelScannerOptions.SettleTime"/> is pending too.
/// A file that is not a readable GGUF is skipped with a warning naming it.</item>
/// <item>Split files (<c>-00001-of-00003.gguf</c>) are one model when every part is there; a model
/// with a missing part is skipped with a warning.</item>
/// <item>Vision projectors (<c>clip</c> architecture or <c>mmproj</c> in the name) are never
/// models: each pairs with the models <see cref="ProjectorRule"/> gives it.</item>
/// <item>Names come from <see cref="ModelNaming.AssignNames"/>, aliases from
/// <see cref="AliasRules.Assign"/> with the user's aliases from models.yaml winning; disabled
/// models are listed but take no automatic alias.</item>
/// </list>
/// Headers are cached by path, size and modification time, so a rescan reads only what changed.
/// One scan runs at a time per scanner.
/// </summary>
public sealed class ModelScanner
{
    private readonly HeaderCache _cache = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public ModelScanner(ModelScannerOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new ModelScannerOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    public ModelScannerOptions Options { get; }

    /// <summary>The folders scanned: the user's, then the bundled one.</summary>
    public IReadOnlyList<string> Roots =>
        [.. Options.Directories.Select(Path.GetFullPath), .. Options.BundledDirectory is { } bundled ? [Path.GetFullPath(bundled)] : Array.Empty<string>()];

    /// <param name="overrides">models.yaml: user aliases (which win) and disabled models.</param>
    public ScanResult Scan(ModelOverridesFile? overrides = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ScanLocked(overrides ?? new ModelOverridesFile(), cancellationToken);
        }
    }

    /// <summary>
    /// A hash of every folder walked and every <c>.gguf</c> file's path, size and modification time:
    /// it changes whenever a scan could answer differently (apart from the settle time passing).
    /// Reads no header, so polling with it is cheap where file system events are unavailable.
    /// </summary>
    public string Fingerprint(CancellationToken cancellationToken = default)
    {
        var walk = ModelFileWalker.Walk(Roots, cancellationToken);
        var text = new StringBuilder();
        foreach (var directory in walk.Directories)
        {
            text.Append("d\0").Append(directory).Append('\n');
        }
        foreach (var file in walk.Files)
        {
            text.Append("f\0").Append(file.Path).Append('\0').Append(file.Length.ToString(CultureInfo.InvariantCulture))
                .Append('\0').Append(file.LastWrite.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private ScanResult ScanLocked(ModelOverridesFile overrides, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var pending = new List<string>();
        foreach (var directory in Options.Directories.Select(Path.GetFullPath).Where(d => !Directory.Exists(d)))
        {
            warnings.Add($"{directory}: models folder does not exist");
        }
        var walk = ModelFileWalker.Walk(Roots, cancellationToken);
        warnings.AddRange(walk.Warnings);
        _cache.Retain(walk.Files);

        var usable = ReadHeaders(walk.Files, warnings, pending, cancellationToken);
        var (units, projectors) = Group(walk.Files, usable, warnings);

        var pairs = ProjectorRule.Pair(units.Select(u => u.Path), projectors);
        foreach (var orphan in projectors.Where(p => !pairs.Values.Contains(p, StringComparer.Ordinal)))
        {
            warnings.Add($"{orphan}: vision projector that no model pairs with (none named for it in its folder or below, or a generic one among several different models); it is not served on its own");
        }

        var names = ModelNaming.AssignNames(units.Select(u => (u.Path, (GgufFile?)u.Headers[0].Header)));
        var models = units.Select(u => Describe(u, names[u.Path], pairs.GetValueOrDefault(u.Path))).ToList();
        models = AssignAliases(models, overrides);

        return new ScanResult
        {
            Models = [.. models.OrderBy(m => m.Name, StringComparer.Ordinal)],
            Warnings = warnings,
            Pending = pending,
            Directories = walk.Directories,
        };
    }

    /// <summary>
    /// Headers of the files that are complete and readable, by path; the rest become warnings or
    /// pending. A file whose size is exactly what its header describes is complete however new it is;
    /// only a file whose completeness the header cannot prove waits out the settle time.
    /// </summary>
    private Dictionary<string, HeaderSummary> ReadHeaders(IReadOnlyList<ModelFile> files, List<string> warnings, List<string> pending,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var usable = new Dictionary<string, HeaderSummary>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var age = now - file.LastWrite;
            // Both directions: a clock step or a copy that kept a slightly future time must not stall forever.
            var settling = age < Options.SettleTime && age > -Options.SettleTime;
            var (summary, error) = _cache.Get(file);
            if (summary is null)
            {
                if (settling)
                {
                    pending.Add(file.Path); // the header itself may still be being written
                    continue;
                }
                warnings.Add($"{file.Path}: skipped: {error}");
                continue;
            }
            if (file.Length < summary.RequiredLength)
            {
                pending.Add(file.Path);
                if (!settling)
                {
                    warnings.Add($"{file.Path}: skipped for now: incomplete, {file.Length} of the {summary.RequiredLength} bytes its header " +
                        "describes (still being copied or downloaded, or truncated); it is served once complete");
                }
                continue;
            }
            if (settling && !IsExactlyComplete(file, summary))
            {
                pending.Add(file.Path);
                continue;
            }
            usable[file.Path] = summary;
        }
        return usable;
    }

    /// <summary>
    /// The file ends where its header says its tensor data ends (up to the alignment padding
    /// writers add after the last tensor): nothing more is coming, so it need not settle.
    /// </summary>
    internal static bool IsExactlyComplete(ModelFile file, HeaderSummary summary) =>
        summary.RequiredLength > summary.Header.DataOffset
        && file.Length >= summary.RequiredLength
        && file.Length - summary.RequiredLength < Math.Max(1, (long)summary.Header.Alignment);

    /// <summary>Models (single files and complete split sets) and projectors.</summary>
    private static (List<Unit> Units, List<string> Projectors) Group(IReadOnlyList<ModelFile> files,
        Dictionary<string, HeaderSummary> usable, List<string> warnings)
    {
        var units = new List<Unit>();
        var projectors = new List<string>();
        var splits = new List<(ModelFile File, string Base, int Part, int Count)>();
        foreach (var file in files)
        {
            if (SplitName.Parse(file.Name) is var (baseName, part, count))
            {
                splits.Add((file, baseName, part, count));
                continue;
            }
            if (!usable.TryGetValue(file.Path, out var summary))
            {
                continue;
            }
            if (ModelTraits.IsProjector(file.Name, summary.Header))
            {
                projectors.Add(file.Path);
                continue;
            }
            units.Add(new Unit(file.Path, [file], [summary]));
        }
        foreach (var set in splits.GroupBy(s => (s.File.Directory, s.Base, s.Count)))
        {
            var parts = set.GroupBy(s => s.Part).ToDictionary(g => g.Key, g => g.First().File);
            var (directory, baseName, count) = set.Key;
            var first = Path.Join(directory, SplitName.Format(baseName, 1, count));
            var missing = Enumerable.Range(1, count).Where(p => !parts.ContainsKey(p)).ToList();
            if (missing.Count > 0)
            {
                warnings.Add($"{first}: skipped: split model of {count} parts is missing " +
                    string.Join(", ", missing.Select(p => SplitName.Format(baseName, p, count))));
                continue;
            }
            var ordered = Enumerable.Range(1, count).Select(p => parts[p]).ToList();
            // A part that is pending or broken was reported on its own; the model waits for all of them.
            if (!ordered.All(f => usable.ContainsKey(f.Path)))
            {
                continue;
            }
            var summaries = ordered.Select(f => usable[f.Path]).ToList();
            if (ModelTraits.IsProjector(ordered[0].Name, summaries[0].Header))
            {
                projectors.Add(ordered[0].Path);
                continue;
            }
            units.Add(new Unit(ordered[0].Path, ordered, summaries));
        }
        return (units, projectors);
    }

    private static DiscoveredModel Describe(Unit unit, string name, string? projector)
    {
        var header = unit.Headers[0].Header;
        var fileName = Path.GetFileName(unit.Path);
        var reranker = ModelTraits.IsReranker(fileName, header, unit.Headers[0].HasClassifierHead);
        var embedding = ModelTraits.IsEmbedding(header) || reranker;
        var template = unit.Headers[0].HasChatTemplate;
        // The name first, the header's file type when the name says nothing: the rule the Hub labels
        // the same file with (see GgufNames.QuantizationOf).
        var quantization = ModelNaming.QuantizationOf(fileName, header);
        return new DiscoveredModel
        {
            Name = name,
            Path = unit.Path,
            Files = [.. unit.Files.Select(f => f.Path)],
            ProjectorPath = projector,
            SizeBytes = unit.Files.Sum(f => f.Length),
            Architecture = header.Architecture,
            ParameterCount = ModelTraits.ParameterCount(header, unit.Headers.Sum(h => h.TensorParameters)),
            Quantization = quantization,
            ContextLength = header.GetArchitectureUInt64("context_length") is ulong context and > 0 and <= long.MaxValue ? (long)context : null,
            IsEmbedding = embedding,
            Pooling = ModelTraits.Pooling(header),
            IsReranker = reranker,
            Tokenizer = unit.Headers[0].Tokenizer,
            HasChatTemplate = template,
            IsInstruct = !embedding && ModelTraits.IsInstruct(fileName, header, template),
            AddedAt = unit.Files.Max(f => f.LastWrite),
            DisplayName = header.GetString("general.name") is { Length: > 0 } display ? display : null,
            Description = header.GetString("general.description") is { Length: > 0 } description ? description : null,
        };
    }

    private static List<DiscoveredModel> AssignAliases(List<DiscoveredModel> models, ModelOverridesFile overrides)
    {
        var user = overrides.Models
            .Where(p => !p.Value.Aliases.IsDefaultOrEmpty)
            .ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.Aliases, StringComparer.Ordinal);
        var candidates = models
            .Where(m => !(overrides.Models.GetValueOrDefault(m.Name)?.Disabled ?? false))
            .Select(m => new AliasCandidate(m.Name, m.ParameterCount, m.IsEmbedding, m.IsInstruct, m.AddedAt, m.IsReranker));
        var aliases = AliasRules.Assign(candidates, user);
        return [.. models.Select(m => m with { Aliases = aliases.TryGetValue(m.Name, out var mine) ? [.. mine] : ImmutableArray<string>.Empty })];
    }

    /// <summary>One model's files (one, or every part of a split model) and their headers, in part order.</summary>
    private sealed record Unit(string Path, IReadOnlyList<ModelFile> Files, IReadOnlyList<HeaderSummary> Headers);
}
