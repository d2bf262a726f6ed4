using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>Real files in temp folders: what the scanner serves, skips, pairs and names.</summary>
public sealed class ModelScannerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-scan-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string P(string relative) => Path.Combine(_root, relative);

    private ModelScanner Scanner(params string[] folders) => new(new ModelScannerOptions
    {
        Directories = folders.Length > 0 ? [.. folders.Select(P)] : [_root],
        BundledDirectory = null,
        SettleTime = TimeSpan.Zero,
    });

    private static DiscoveredModel Single(ScanResult scan, string name) =>
        Assert.Single(scan.Models, m => m.Name == name);

    private DiscoveredModel ByFile(ScanResult scan, string relative) =>
        Assert.Single(scan.Models, m => m.Path == P(relative));

    private string Tiny(string relative, TinyModelOptions? options = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(P(relative))!);
        TinyModelBuilder.Write(P(relative), options);
        return P(relative);
    }

    [Fact]
    public void Reads_the_facts_of_real_tiny_models_in_subfolders()
    {
        Tiny("chat/deep/tiny-llama-1b-instruct-f32.gguf", new TinyModelOptions { ContextLength = 2048 });
        Tiny("embed/tiny-embed-v1.gguf", new TinyModelOptions { Embedding = true });
        var when = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(P("chat/deep/tiny-llama-1b-instruct-f32.gguf"), when);

        var scan = Scanner().Scan();

        Assert.Empty(scan.Warnings);
        Assert.Empty(scan.Pending);
        var chat = Single(scan, "tiny-llama:1b-instruct");
        Assert.Equal("llama", chat.Architecture);
        Assert.Equal(164_000, chat.ParameterCount); // general.size_label "164K"
        Assert.Equal("f32", chat.Quantization);
        Assert.Equal(2048, chat.ContextLength);
        Assert.True(chat.HasChatTemplate);
        Assert.True(chat.IsInstruct);
        Assert.False(chat.IsEmbedding);
        Assert.Equal(new FileInfo(chat.Path).Length, chat.SizeBytes);
        Assert.Equal(new DateTimeOffset(when), chat.AddedAt);
        Assert.Equal("tiny-llama", chat.DisplayName);
        Assert.Equal([AliasRules.SmallChat, AliasRules.Instruct], chat.Aliases.ToArray());

        var embed = Single(scan, "tiny-embed:v1");
        Assert.True(embed.IsEmbedding);
        Assert.False(embed.HasChatTemplate);
        Assert.False(embed.IsInstruct);
        Assert.Equal([AliasRules.EmbeddingAda, AliasRules.EmbeddingSmall], embed.Aliases.ToArray());
    }

    [Fact]
    public void Parameter_count_comes_from_the_size_label_else_from_the_tensors()
    {
        SmallGguf.Write(P("labelled-7b.gguf"), metadata: [("general.size_label", GgufValue.String("7.6B"))]);
        SmallGguf.Write(P("unlabelled.gguf"), tensorElements: 96);
        SmallGguf.Write(P("experts.gguf"), metadata: [("general.size_label", GgufValue.String("8x7B"))], tensorElements: 32);
        SmallGguf.Write(P("moe-active.gguf"), metadata: [("general.size_label", GgufValue.String("30B-A3B"))]);

        var scan = Scanner().Scan();

        Assert.Equal(7_600_000_000, ByFile(scan, "labelled-7b.gguf").ParameterCount);
        Assert.Equal(96, ByFile(scan, "unlabelled.gguf").ParameterCount);
        Assert.Equal(32, ByFile(scan, "experts.gguf").ParameterCount); // 8x7B overstates shared weights: the tensors count
        Assert.Equal(30_000_000_000, ByFile(scan, "moe-active.gguf").ParameterCount);
    }

    [Fact]
    public void Quantization_comes_from_the_file_name_else_from_file_type()
    {
        // The name wins (the Hub labels the file by it, and file_type cannot spell UD-Q4_K_XL: it says q4_k_m).
        SmallGguf.Write(P("a-1b-UD-Q4_K_XL.gguf"), metadata: [("general.file_type", GgufValue.UInt32(15))]);
        SmallGguf.Write(P("b-1b-Q5_K_S.gguf"));
        SmallGguf.Write(P("c-1b.gguf"), metadata: [("general.file_type", GgufValue.UInt32(7))]);

        var scan = Scanner().Scan();

        Assert.Equal("ud-q4_k_xl", Single(scan, "a:1b").Quantization);
        Assert.Equal("q5_k_s", Single(scan, "b:1b").Quantization);
        Assert.Equal("q8_0", Single(scan, "c:1b").Quantization);
    }

    [Fact]
    public void Split_parts_are_one_model_and_a_missing_part_skips_it_with_a_warning()
    {
        var parts = Enumerable.Range(1, 3).Select(i => SmallGguf.Write(P($"big/qwen2.5-7b-instruct-q4_k_m-0000{i}-of-00003.gguf"),
            architecture: "qwen2", tensorElements: 100 * i)).ToList();
        SmallGguf.Write(P("broken/llama-3.1-70b-instruct-q4_k_m-00001-of-00002.gguf"));

        var scan = Scanner().Scan();

        var model = Assert.Single(scan.Models);
        Assert.Equal("qwen2.5:7b-instruct", model.Name);
        Assert.Equal(parts[0], model.Path);
        Assert.Equal(parts, model.Files.ToArray());
        Assert.Equal(parts.Sum(p => new FileInfo(p).Length), model.SizeBytes);
        Assert.Equal(600, model.ParameterCount); // every part's tensors
        var warning = Assert.Single(scan.Warnings);
        Assert.Contains("llama-3.1-70b-instruct-q4_k_m-00001-of-00002.gguf", warning, StringComparison.Ordinal);
        Assert.Contains("missing llama-3.1-70b-instruct-q4_k_m-00002-of-00002.gguf", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Projectors_pair_with_their_models_and_are_never_listed()
    {
        var q4 = SmallGguf.Write(P("gemma/gemma-3-4b-it-Q4_K_M.gguf"), architecture: "gemma3", chatTemplate: "t");
        var q8 = SmallGguf.Write(P("gemma/gemma-3-4b-it-Q8_0.gguf"), architecture: "gemma3", chatTemplate: "t");
        var gemmaProjector = SmallGguf.Write(P("gemma/mmproj-gemma-3-4b-it-f16.gguf"), architecture: "clip");
        SmallGguf.Write(P("gemma/qwen2.5-vl-7b-instruct-Q4_K_M.gguf"), architecture: "qwen2vl");
        var qwenProjector = SmallGguf.Write(P("gemma/Qwen2.5-VL-7B-Instruct-mmproj-f16.gguf"), architecture: "clip");
        var alone = SmallGguf.Write(P("llava/llava-v1.6-mistral-7b.Q4_K_M.gguf"));
        var generic = SmallGguf.Write(P("llava/mmproj-model-f16.gguf"), architecture: "clip");
        var orphan = SmallGguf.Write(P("orphans/vision-encoder.gguf"), architecture: "clip"); // clip, no mmproj in the name

        var scan = Scanner().Scan();

        Assert.Equal(4, scan.Models.Count);
        Assert.DoesNotContain(scan.Models, m => m.Architecture == "clip" || m.Path.Contains("mmproj", StringComparison.Ordinal));
        Assert.Equal(gemmaProjector, scan.Models.Single(m => m.Path == q4).ProjectorPath);
        Assert.Equal(gemmaProjector, scan.Models.Single(m => m.Path == q8).ProjectorPath);
        Assert.Equal(qwenProjector, scan.Models.Single(m => m.Architecture == "qwen2vl").ProjectorPath);
        Assert.Equal(generic, scan.Models.Single(m => m.Path == alone).ProjectorPath);
        Assert.Contains(scan.Warnings, w => w.StartsWith(orphan, StringComparison.Ordinal) && w.Contains("no model pairs with", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pulled_repo_folder_pairs_every_quantization_with_its_F16_projector_even_in_subfolders()
    {
        // Two quants of one unsloth repo pulled side by side, a big one split in a subfolder, the repo's three
        // generic projectors at the top: one model, so every quant takes mmproj-F16 (see ProjectorRule).
        var q4 = SmallGguf.Write(P("unsloth_gemma-3-4b-it-GGUF/gemma-3-4b-it-Q4_K_M.gguf"), architecture: "gemma3", chatTemplate: "t");
        var ud = SmallGguf.Write(P("unsloth_gemma-3-4b-it-GGUF/gemma-3-4b-it-UD-Q4_K_XL.gguf"), architecture: "gemma3", chatTemplate: "t");
        var split = Enumerable.Range(1, 2).Select(i => SmallGguf.Write(P($"unsloth_gemma-3-4b-it-GGUF/BF16/gemma-3-4b-it-BF16-0000{i}-of-00002.gguf"),
            architecture: "gemma3", chatTemplate: "t")).ToList()[0];
        var f16 = SmallGguf.Write(P("unsloth_gemma-3-4b-it-GGUF/mmproj-F16.gguf"), architecture: "clip");
        SmallGguf.Write(P("unsloth_gemma-3-4b-it-GGUF/mmproj-F32.gguf"), architecture: "clip");
        SmallGguf.Write(P("unsloth_gemma-3-4b-it-GGUF/mmproj-BF16.gguf"), architecture: "clip");
        var text = SmallGguf.Write(P("qwen2.5-7b-instruct-q4_k_m.gguf"), chatTemplate: "t"); // another model, above the repo folder

        var scan = Scanner().Scan();

        Assert.Equal(f16, scan.Models.Single(m => m.Path == q4).ProjectorPath);
        Assert.Equal(f16, scan.Models.Single(m => m.Path == ud).ProjectorPath);
        Assert.Equal(f16, scan.Models.Single(m => m.Path == split).ProjectorPath);
        Assert.Null(scan.Models.Single(m => m.Path == text).ProjectorPath);
        Assert.Equal(2, scan.Warnings.Count(w => w.Contains("no model pairs with", StringComparison.Ordinal))); // F32 and BF16
    }

    [Fact]
    public void Embedding_models_are_told_by_pooling_type_or_bert_like_architecture()
    {
        SmallGguf.Write(P("qwen3-embedding-0.6b-q8_0.gguf"), architecture: "qwen3", chatTemplate: "t",
            metadata: [("qwen3.pooling_type", GgufValue.UInt32(3))]);
        SmallGguf.Write(P("nomic-embed-text-v1.5.Q8_0.gguf"), architecture: "nomic-bert");
        SmallGguf.Write(P("bge-small-en-v1.5-f16.gguf"), architecture: "bert");
        SmallGguf.Write(P("llama-3.2-1b-instruct-q4_k_m.gguf"), chatTemplate: "t", metadata: [("llama.pooling_type", GgufValue.UInt32(0))]);

        var scan = Scanner().Scan();

        Assert.True(Single(scan, "qwen3-embedding:0.6b").IsEmbedding);
        Assert.True(Single(scan, "nomic-embed-text:v1.5").IsEmbedding);
        Assert.True(Single(scan, "bge-small-en:v1.5").IsEmbedding);
        var chat = Single(scan, "llama3.2:1b-instruct");
        Assert.False(chat.IsEmbedding);
        Assert.True(chat.IsInstruct);
        Assert.DoesNotContain(scan.Models.Where(m => m.IsEmbedding), m => m.IsInstruct);
    }

    [Fact]
    public void Corrupt_and_non_gguf_files_are_skipped_with_a_warning_naming_them()
    {
        SmallGguf.Write(P("good-1b.gguf"));
        File.WriteAllBytes(P("garbage.gguf"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        File.WriteAllText(P("readme.gguf"), "this is not a model\n");
        File.WriteAllBytes(P("empty.gguf"), []);
        File.WriteAllText(P("notes.txt"), "not even .gguf");
        var good = File.ReadAllBytes(P("good-1b.gguf"));
        File.WriteAllBytes(P("cut-header.gguf"), good[..40]);
        foreach (var name in new[] { "garbage.gguf", "readme.gguf", "empty.gguf", "cut-header.gguf" })
        {
            SmallGguf.Age(P(name));
        }

        var scan = Scanner().Scan();

        Assert.Equal("good:1b", Assert.Single(scan.Models).Name);
        Assert.Equal(4, scan.Warnings.Count);
        foreach (var name in new[] { "garbage.gguf", "readme.gguf", "empty.gguf", "cut-header.gguf" })
        {
            Assert.Contains(scan.Warnings, w => w.StartsWith(P(name) + ": skipped: not a readable GGUF file", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(scan.Warnings, w => w.Contains("notes.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_shorter_than_its_header_says_is_pending_until_complete()
    {
        var full = Tiny("staging/tiny.gguf");
        var bytes = File.ReadAllBytes(full);
        var copy = P("models/tiny-llama-1b.gguf");
        Directory.CreateDirectory(P("models"));
        File.WriteAllBytes(copy, bytes[..(bytes.Length / 2)]);
        SmallGguf.Age(copy);
        var scanner = Scanner("models");

        var half = scanner.Scan();

        Assert.Empty(half.Models);
        Assert.Equal([copy], half.Pending);
        var warning = Assert.Single(half.Warnings);
        Assert.StartsWith(copy + ": skipped for now: incomplete", warning, StringComparison.Ordinal);
        Assert.Contains($"{bytes.Length / 2} of the", warning, StringComparison.Ordinal);

        File.WriteAllBytes(copy, bytes);
        SmallGguf.Age(copy, TimeSpan.FromMinutes(1));
        var done = scanner.Scan();

        Assert.Equal("tiny-llama:1b", Assert.Single(done.Models).Name);
        Assert.Empty(done.Pending);
        Assert.Empty(done.Warnings);
    }

    [Fact]
    public void A_header_complete_file_written_and_scanned_in_the_same_second_is_listed_at_once()
    {
        var path = SmallGguf.Write(P("fresh-1b.gguf"));
        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(path));
        // The clock stands still right after the write: only the header can say the file is whole.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(written);
        var scanner = new ModelScanner(new ModelScannerOptions { Directories = [_root], BundledDirectory = null, SettleTime = TimeSpan.FromHours(1) }, time);

        var scan = scanner.Scan();

        Assert.Equal("fresh:1b", Assert.Single(scan.Models).Name);
        Assert.Empty(scan.Pending);
        Assert.Empty(scan.Warnings);
    }

    [Fact]
    public void A_file_still_growing_is_pending_without_a_warning_until_it_is_whole()
    {
        var staged = Path.Combine(Path.GetTempPath(), $"modelswap-staged-{Guid.NewGuid():N}.gguf");
        var whole = File.ReadAllBytes(SmallGguf.Write(staged, tensorElements: 4096));
        File.Delete(staged);
        var path = P("growing-1b.gguf");
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start);
        var scanner = new ModelScanner(new ModelScannerOptions { Directories = [_root], BundledDirectory = null, SettleTime = TimeSpan.FromHours(1) }, time);
        ScanResult WriteAndScan(byte[] content, int second)
        {
            // Each write is scanned in the very moment it happened: only the header can tell whether it is whole.
            File.WriteAllBytes(path, content);
            File.SetLastWriteTimeUtc(path, (start + TimeSpan.FromSeconds(second)).UtcDateTime);
            time.SetUtcNow(start + TimeSpan.FromSeconds(second));
            return scanner.Scan();
        }

        var headerOnly = WriteAndScan(whole[..40], 1); // not even the header yet
        var dataShort = WriteAndScan(whole[..(whole.Length - 1000)], 2); // header whole, data short
        var done = WriteAndScan(whole, 3);

        Assert.Equal([path], headerOnly.Pending);
        Assert.Equal([path], dataShort.Pending);
        Assert.Empty(headerOnly.Models);
        Assert.Empty(dataShort.Models);
        Assert.DoesNotContain(headerOnly.Warnings.Concat(dataShort.Warnings), w => w.Contains(path, StringComparison.Ordinal));
        Assert.Equal("growing:1b", Assert.Single(done.Models).Name);
    }

    [Fact]
    public void A_file_longer_than_its_header_says_waits_out_the_settle_time()
    {
        var path = SmallGguf.Write(P("padded-1b.gguf"));
        File.AppendAllText(path, new string('x', 4096)); // more than alignment padding: the header cannot vouch for it
        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(path));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(written + TimeSpan.FromMilliseconds(200));
        var scanner = new ModelScanner(new ModelScannerOptions { Directories = [_root], BundledDirectory = null, SettleTime = TimeSpan.FromSeconds(1) }, time);

        var early = scanner.Scan();
        time.Advance(TimeSpan.FromSeconds(1));
        var later = scanner.Scan();

        Assert.Empty(early.Models);
        Assert.Equal([path], early.Pending);
        Assert.Empty(early.Warnings);
        Assert.Equal("padded:1b", Assert.Single(later.Models).Name);
        Assert.Empty(later.Pending);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Links_are_followed_and_a_loop_ends()
    {
        SmallGguf.Write(P("models/llama-3.2-1b-instruct-q4_k_m.gguf"));
        Directory.CreateSymbolicLink(P("models/loop"), P("models"));
        Directory.CreateDirectory(P("models/sub"));
        Directory.CreateSymbolicLink(P("models/sub/back"), P("models")); // sub/back -> models: also a loop
        SmallGguf.Write(P("elsewhere/shared/qwen2.5-0.5b-instruct-q8_0.gguf"));
        Directory.CreateSymbolicLink(P("models/shared"), P("elsewhere/shared"));
        SmallGguf.Write(P("blobs/sha256-abc"));
        File.CreateSymbolicLink(P("models/phi-3-mini-4k-instruct-q4.gguf"), P("blobs/sha256-abc"));

        var scan = Scanner("models").Scan();

        Assert.Equal(["llama3.2:1b-instruct", "phi3:mini-4k-instruct", "qwen2.5:0.5b-instruct"], scan.Models.Select(m => m.Name).ToArray());
        Assert.Equal(P("models/shared/qwen2.5-0.5b-instruct-q8_0.gguf"), Single(scan, "qwen2.5:0.5b-instruct").Path);
        Assert.Equal(new FileInfo(P("blobs/sha256-abc")).Length, Single(scan, "phi3:mini-4k-instruct").SizeBytes);
        Assert.Contains(Path.GetFullPath(P("elsewhere/shared")), scan.Directories);
        Assert.Empty(scan.Warnings);
    }

    [Fact]
    public void The_bundled_folder_is_scanned_too_and_a_missing_user_folder_is_reported()
    {
        SmallGguf.Write(P("bundled/smollm2-135m-instruct-q8_0.gguf"), chatTemplate: "t");
        var scanner = new ModelScanner(new ModelScannerOptions { Directories = [P("nope")], BundledDirectory = P("bundled"), SettleTime = TimeSpan.Zero });

        var scan = scanner.Scan();

        Assert.Equal("smollm2:135m-instruct", Assert.Single(scan.Models).Name);
        Assert.Equal([P("nope") + ": models folder does not exist"], scan.Warnings);
    }

    [Fact]
    public void Colliding_names_get_the_quantization_the_same_way_whatever_the_folder_order()
    {
        var a4 = SmallGguf.Write(P("a/Llama-3.2-1B-Instruct-Q4_K_M.gguf"));
        var a8 = SmallGguf.Write(P("a/llama-3.2-1b-instruct-q8_0.gguf"));
        var b4 = SmallGguf.Write(P("b/llama-3.2-1b-instruct-q4_k_m.gguf"));

        var forward = Scanner("a", "b").Scan().Models.ToDictionary(m => m.Path, m => m.Name);
        var backward = Scanner("b", "a").Scan().Models.ToDictionary(m => m.Path, m => m.Name);

        Assert.Equal(forward, backward);
        Assert.Equal("llama3.2:1b-instruct-q4_k_m", forward[a4]);
        Assert.Equal("llama3.2:1b-instruct-q4_k_m-2", forward[b4]);
        Assert.Equal("llama3.2:1b-instruct-q8_0", forward[a8]);
    }

    [Fact]
    public void User_aliases_win_and_a_disabled_model_takes_no_automatic_alias()
    {
        var old = SmallGguf.Write(P("qwen2.5-0.5b-instruct-q8_0.gguf"), chatTemplate: "t", metadata: [("general.size_label", GgufValue.String("0.5B"))]);
        var newer = SmallGguf.Write(P("smollm2-360m-instruct-q8_0.gguf"), chatTemplate: "t", metadata: [("general.size_label", GgufValue.String("360M"))]);
        SmallGguf.Age(old, TimeSpan.FromHours(2));
        SmallGguf.Age(newer, TimeSpan.FromHours(1));
        var overrides = ModelOverridesFile.Parse("""
            models:
              "qwen2.5:0.5b-instruct":
                aliases: [my-qwen]
            """, "models.yaml");
        var disabling = ModelOverridesFile.Parse("""
            models:
              "smollm2:360m-instruct":
                disabled: true
            """, "models.yaml");
        var scanner = Scanner();

        var plain = scanner.Scan(overrides);
        var disabled = scanner.Scan(disabling);

        Assert.Equal(["my-qwen"], Single(plain, "qwen2.5:0.5b-instruct").Aliases.ToArray());
        Assert.Equal([AliasRules.SmallChat, AliasRules.Instruct], Single(plain, "smollm2:360m-instruct").Aliases.ToArray()); // newest wins
        Assert.Empty(Single(disabled, "smollm2:360m-instruct").Aliases);
        Assert.Equal([AliasRules.SmallChat, AliasRules.Instruct], Single(disabled, "qwen2.5:0.5b-instruct").Aliases.ToArray());
    }

    [Fact]
    public void A_rescan_sees_a_replaced_file()
    {
        var path = SmallGguf.Write(P("mistral-7b-instruct-v0.3.Q4_K_M.gguf"), contextLength: 4096);
        SmallGguf.Age(path, TimeSpan.FromMinutes(10));
        var scanner = Scanner();
        Assert.Equal(4096, Assert.Single(scanner.Scan().Models).ContextLength);

        SmallGguf.Write(path, contextLength: 32768);
        SmallGguf.Age(path, TimeSpan.FromMinutes(5));

        Assert.Equal(32768, Assert.Single(scanner.Scan().Models).ContextLength);
        File.Delete(path);
        Assert.Empty(scanner.Scan().Models);
    }
}
